#pragma once
#include <parley/ids.hpp>

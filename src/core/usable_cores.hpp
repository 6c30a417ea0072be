#pragma once
// How many CPUs the calling thread may run on. A process started under taskset or in a
// container's cpuset may use fewer CPUs than the machine has, and one thread per CPU of the
// machine would then leave threads waiting on each other's core.
namespace parley::core {

[[nodiscard]] unsigned usable_cores() noexcept;

}  // namespace parley::core

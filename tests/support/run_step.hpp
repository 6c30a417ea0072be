#pragma once
// Runs one asynchronous step of a test client to completion on its own io_context. The step's
// stream bounds it (a tcp_stream's expiry), so a silent server makes the step fail with
// beast::error::timeout instead of blocking the test forever.
#include <boost/asio/io_context.hpp>
#include <boost/beast/core/error.hpp>

namespace parley::test {

template <class Start>
boost::beast::error_code run_step(boost::asio::io_context& io, Start&& start) {
  boost::beast::error_code result;
  io.restart();
  start([&result](boost::beast::error_code ec, auto&&...) { result = ec; });
  io.run();
  return result;
}

}  // namespace parley::test

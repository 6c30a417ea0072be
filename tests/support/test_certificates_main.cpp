// parley_test_certificates DIR: a test CA and a server certificate for localhost and 127.0.0.1,
// for tests outside C++ (the browser's): writes DIR/ca.crt, DIR/server.crt (with the CA after
// it) and DIR/server.key, and prints the server key's SHA-256 SPKI hash in base64, which
// Chromium takes in --ignore-certificate-errors-spki-list.
#include <fstream>
#include <iostream>

#include "support/test_certificates.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: parley_test_certificates DIR\n";
    return 2;
  }
  try {
    const std::filesystem::path dir = argv[1];
    parley::test::TestCertificateAuthority ca("Parley test CA");
    ca.issue(dir, "server");
    std::ofstream(dir / "ca.crt") << ca.certificate_pem();
    std::cout << ca.last_issued_spki_sha256() << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "parley_test_certificates: " << e.what() << "\n";
    return 1;
  }
}

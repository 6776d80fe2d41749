import XCTest

@testable import Vault

/// FileIO.directory(of:) and fileName(of:) split a path at its last "/" byte, as the
/// kernel does: every companion file (lock, journal, log, temp files) is named from them.
final class PathSplitTests: XCTestCase {
  func testSplitsAtTheLastSlash() {
    let cases: [(path: String, directory: String, name: String)] = [
      ("/var/lib/mfactl/vault.mfa", "/var/lib/mfactl", "vault.mfa"),
      ("vault.mfa", ".", "vault.mfa"),
      ("/vault.mfa", "/", "vault.mfa"),
      ("data/", "data", ""),
      ("./a b/vault é.mfa", "./a b", "vault é.mfa"),
      ("/tmp/x//y", "/tmp/x/", "y"),
    ]
    for c in cases {
      XCTAssertEqual(FileIO.directory(of: c.path), c.directory, c.path)
      XCTAssertEqual(FileIO.fileName(of: c.path), c.name, c.path)
    }
  }

  // A "/" followed by a combining mark is one Character ("/\u{301}") but still the
  // byte the kernel splits at; a search by Character missed it.
  func testASlashBeforeACombiningMarkStillSplits() {
    let path = "/tmp/dir/\u{301}vault.mfa"
    XCTAssertEqual(FileIO.directory(of: path), "/tmp/dir")
    XCTAssertEqual(FileIO.fileName(of: path), "\u{301}vault.mfa")
    XCTAssertEqual(FileIO.directory(of: path) + "/" + FileIO.fileName(of: path), path)
  }
}

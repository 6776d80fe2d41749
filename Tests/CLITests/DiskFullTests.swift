import Foundation
import XCTest

/// Disk errors, simulated with a small tmpfs that fills up (needs root to mount; the
/// tests skip with a message otherwise). A failed write exits 74 and changes nothing.
final class DiskFullTests: CLITestCase {
  var mountPoint = ""

  override func setUpWithError() throws {
    try super.setUpWithError()
    try requireFileVault()
    mountPoint = dir + "/small"
    vault = mountPoint + "/vault.mfa"
    try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
    guard getuid() == 0, let mount = Binary.tool("mount") else {
      throw XCTSkip("disk-full tests need root to mount a tmpfs")
    }
    let r = try Running(
      executable: mount, args: ["-t", "tmpfs", "-o", "size=512k", "tmpfs", mountPoint], stdin: nil,
      env: ProcessInfo.processInfo.environment, cwd: dir
    ).wait()
    guard r.code == 0 else { throw XCTSkip("cannot mount a tmpfs here: \(r.stderr)") }
  }

  override func tearDownWithError() throws {
    if let umount = Binary.tool("umount") {
      _ = try? Running(
        executable: umount, args: [mountPoint], stdin: nil, env: ProcessInfo.processInfo.environment, cwd: dir
      )
      .wait()
    }
    try super.tearDownWithError()
  }

  /// Fills the small filesystem, leaving about `leave` bytes free.
  func fill(leaving leave: Int) throws {
    var st = statvfs()
    XCTAssertEqual(statvfs(mountPoint, &st), 0)
    let free = Int(st.f_bavail) * Int(st.f_frsize)
    let size = max(0, free - leave)
    FileManager.default.createFile(atPath: mountPoint + "/filler", contents: Data(count: size))
    // tmpfs may round; top up byte by byte blocks until a write fails.
    if leave == 0, let h = FileHandle(forWritingAtPath: mountPoint + "/filler") {
      h.seekToEndOfFile()
      while (try? h.write(contentsOf: Data(count: 4096))) != nil {}
      try? h.close()
    }
  }

  func listing() -> [String] {
    (try? FileManager.default.contentsOfDirectory(atPath: mountPoint).sorted()) ?? []
  }

  func testEnrolOnAFullDiskIs74AndChangesNothing() throws {
    try initKeyFileVault()
    try enrol("alice")
    try fill(leaving: 0)
    let before = vaultState()
    let files = listing()
    let r = try run(["enrol", "bob", "--activate"])
    assertError(r, 74)
    XCTAssertEqual(vaultState(), before, "the vault is unchanged")
    XCTAssertEqual(listing(), files, "no temp file is left behind")
    try FileManager.default.removeItem(atPath: mountPoint + "/filler")
    assertError(try run(["verify", "bob", "123456"]), 67)
    assertExit(try run(["vault", "check"]), 0)
  }

  func testVerifyWhenTheJournalCannotBeWrittenIs74AndChangesNothing() throws {
    try initKeyFileVault()
    let e = try enrol("alice")
    assertExit(try run(["verify", "alice", try totp(e.secret, at: now - 30)]), 0)  // in-place from now on
    // Format 3: the journal keeps its entries (and their blocks) until a checkpoint; a
    // whole-file write empties it, so the next entry needs a block the full disk lacks.
    assertExit(try run(["enrol", "bob", "--activate"]), 0)
    XCTAssertEqual(bytes(vault + ".journal")?.count ?? 0, 0)
    try fill(leaving: 0)
    let before = vaultState()
    let code = try totp(e.secret, at: now)
    let r = try run(["verify", "alice", code])
    assertError(r, 74)
    XCTAssertEqual(vaultState(), before)
    try FileManager.default.removeItem(atPath: mountPoint + "/filler")
    // Nothing was recorded: the same code is still good (no replay state was written).
    assertExit(try run(["verify", "alice", code]), 0)
    assertExit(try run(["vault", "check"]), 0)
  }

  func testQRFileThatDoesNotFitIs74AndLeavesNoPartialFile() throws {
    try initKeyFileVault()
    try fill(leaving: 2048)
    let png = mountPoint + "/alice.png"
    let before = vaultState()
    let r = try run(["enrol", "alice", "--qr-png", png, "--qr-scale", "32"])
    assertError(r, 74)
    XCTAssertFalse(exists(png), "no partial PNG")
    XCTAssertEqual(vaultState(), before, "no authenticator was added")
  }
}

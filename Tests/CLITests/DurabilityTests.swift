import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

/// ARCHITECTURE.md, Rules, "Concurrency", and the on-disk checks: racing processes, the
/// flock(2) lock, kills during writes, flipped bytes and unknown format versions.
final class DurabilityTests: CLITestCase {
  override func setUpWithError() throws {
    try super.setUpWithError()
    try initKeyFileVault()
  }

  var lockPath: String { vault + ".lock" }
  var vaultName: String { (vault as NSString).lastPathComponent }

  // MARK: (a) races

  func testTwoVerifiesRacingOnTheSameHOTPCode() throws {
    let e = try enrol("alice", ["--type", "hotp"])
    let rounds = 20
    let codes = try (0..<UInt64(rounds)).map { try hotp(e.secret, counter: $0) }
    for (round, code) in codes.enumerated() {
      let a = try start(["verify", "alice", code])
      let b = try start(["verify", "alice", code])
      let ra = a.wait()
      let rb = b.wait()
      assertNoCrash(ra)
      assertNoCrash(rb)
      XCTAssertEqual(
        [ra.code, rb.code].sorted(), [0, 1], "round \(round): exactly one accepted, the other rejected\n\(ra)\n\(rb)")
    }
    let auth = (try show("alice")["authenticators"] as? [[String: Any]])?.first
    XCTAssertEqual(auth?["counter"] as? Int, rounds, "every accepted code moved the counter once")
  }

  func testTwoVerifiesRacingOnTheSameTOTPCode() throws {
    let e = try enrol("alice")
    for round in 0..<8 {
      let t = now + Int64(round * 30)
      let code = try totp(e.secret, at: t)
      let a = try start(["verify", "alice", code], at: t)
      let b = try start(["verify", "alice", code], at: t)
      let ra = a.wait()
      let rb = b.wait()
      XCTAssertEqual([ra.code, rb.code].sorted(), [0, 1], "round \(round)\n\(ra)\n\(rb)")
    }
  }

  func testConcurrentEnrolsLoseNothing() throws {
    let n = 8
    let procs = try (0..<n).map { try start(["enrol", "user\($0)", "--activate"]) }
    for (i, p) in procs.enumerated() {
      let r = p.wait()
      assertExit(r, 0, "enrol user\(i)")
    }
    let rows = try run(["users", "list", "--format", "json"]).jsonLines ?? []
    XCTAssertEqual(
      Set(rows.compactMap { $0["name"] as? String }), Set((0..<n).map { "user\($0)" }), "no acknowledged change lost")
    assertExit(try run(["vault", "check"]), 0)
  }

  // MARK: (b) the lock is flock(2) on <vault>.lock

  /// Holds the vault lock with util-linux flock(1) until killed: a shell opens
  /// `<vault>.lock` on fd 9, `flock -x 9` (or `-s`) locks it, then the shell becomes
  /// `sleep 20` keeping fd 9. The process started is the one holding the lock, so
  /// killing it releases the lock at once and leaves no child behind.
  func holdLock(shared: Bool = false, file: StaticString = #filePath, line: UInt = #line) throws -> Running {
    guard Binary.tool("flock") != nil, let sh = Binary.tool("sh") else {
      XCTFail("flock (util-linux) is not installed", file: file, line: line)
      throw Binary.Failure(description: "flock missing")
    }
    let holder = try Running(
      executable: sh,
      args: ["-c", "exec 9>>\"$1\" && flock \(shared ? "-s" : "-x") 9 && exec sleep 20", "sh", lockPath],
      stdin: nil, env: ProcessInfo.processInfo.environment, cwd: dir, captureOutput: false)
    // Held when a non-blocking exclusive attempt fails.
    let deadline = Date().addingTimeInterval(10)
    while Date() < deadline {
      let probe = try tool("flock", ["-n", "-x", lockPath, "true"])
      if probe.code != 0 { return holder }
      usleep(10_000)
    }
    holder.kill(SIGKILL)
    _ = holder.wait()
    XCTFail("flock did not take the lock", file: file, line: line)
    throw Binary.Failure(description: "no lock")
  }

  func testBusyVaultTimesOutWith75AndIsUnchanged() throws {
    let e = try enrol("alice")
    let before = vaultState()
    let holder = try holdLock()
    defer {
      holder.kill(SIGKILL)
      _ = holder.wait()
    }
    let r = try run(["verify", "alice", try totp(e.secret, at: now)], env: ["MFACTL_LOCK_TIMEOUT": "1"])
    assertError(r, 75)
    // The seconds are rounded by libm's round(): in the x86-64 release binary the first
    // call goes through a trampoline that loads libm (Sources/CLazyLibm/lazy_libm.c).
    XCTAssertTrue(r.stderr.contains("(waited 1 s)"), r.stderr)
    XCTAssertGreaterThanOrEqual(r.seconds, 0.9, "waited for the lock: \(r)")
    XCTAssertLessThan(r.seconds, 3.0, "gave up after about 1 s: \(r)")
    XCTAssertEqual(vaultState(), before)
    // Every writer waits on the same lock.
    let w = try run(["users", "disable", "alice"], env: ["MFACTL_LOCK_TIMEOUT": "0.3"])
    assertError(w, 75)
    XCTAssertEqual(vaultState(), before)
    holder.kill(SIGKILL)
    _ = holder.wait()
    assertExit(try run(["verify", "alice", try totp(e.secret, at: now)], env: ["MFACTL_LOCK_TIMEOUT": "1"]), 0)
  }

  func testWriterWaitsForTheLockWithinTheTimeout() throws {
    let e = try enrol("alice")
    let holder = try holdLock()
    let verify = try start(["verify", "alice", try totp(e.secret, at: now)], env: ["MFACTL_LOCK_TIMEOUT": "10"])
    usleep(500_000)
    XCTAssertTrue(verify.process.isRunning, "verify waits while the lock is held")
    holder.kill(SIGKILL)
    _ = holder.wait()
    let r = verify.wait()
    assertExit(r, 0, "accepted once the lock was released")
  }

  func testReadersShareTheLock() throws {
    try enrol("alice")
    let holder = try holdLock(shared: true)
    defer {
      holder.kill(SIGKILL)
      _ = holder.wait()
    }
    assertExit(try run(["users", "list"], env: ["MFACTL_LOCK_TIMEOUT": "1"]), 0, "a reader is not blocked by a reader")
    assertError(try run(["users", "disable", "alice"], env: ["MFACTL_LOCK_TIMEOUT": "0.3"]), 75)
  }

  // MARK: (c) kill -9 during writes

  func testKillDuringWritesLeavesAnOpenableVault() throws {
    try enrol("victim")
    var rng = SystemRandomNumberGenerator()
    func command(_ i: Int) -> [String] {
      switch i % 3 {
      case 0: return ["enrol", "k\(i)", "--activate", "--type", i % 2 == 0 ? "hotp" : "totp"]
      case 1: return ["verify", "victim", "000000"]
      default: return ["users", "unlock", "victim"]
      }
    }
    // How long each kind of write takes here, so the kills land while it runs.
    var duration: [Double] = []
    for k in 0..<3 {
      var best = Double.infinity
      for round in 0..<2 {
        let r = try start(command(1000 + 3 * round + k)).wait()
        XCTAssertTrue([0, 1, 2].contains(r.code), r.description)
        best = min(best, r.seconds)
      }
      duration.append(best)
    }
    let kills = 30
    var killedWhileRunning = 0
    for i in 0..<kills {
      let usersBefore = (try run(["users", "list", "--format", "json"]).jsonLines ?? []).count
      let args = command(i)
      let p = try start(args)
      // Writes happen towards the end of a run: aim at 20-100 % of its usual length (the
      // measured length includes up to 2 ms of the harness's wait polling, a large part of
      // a release-binary run).
      let d = max(0.001, duration[i % 3])
      usleep(UInt32(Double.random(in: 0.2...1.0, using: &rng) * d * 1_000_000))
      if p.process.isRunning { killedWhileRunning += 1 }
      p.kill(SIGKILL)
      let r = p.wait()
      XCTAssertFalse(r.stderr.contains("Fatal error"), r.description)

      // Only the vault, its companions (lock, audit log, in-place write journal) and
      // stale temp files are there.
      for name in vaultDirListing() {
        let ok =
          name == vaultName || name == vaultName + ".lock" || name == vaultName + ".audit"
          || name == vaultName + ".journal" || name.hasPrefix(vaultName + ".tmp-")
        XCTAssertTrue(ok, "unexpected file \(name) after kill \(i) of \(args)")
      }
      let check = try run(["vault", "check"])
      assertExit(check, 0, "vault opens after kill \(i) of \(args)")
      let usersAfter = (try run(["users", "list", "--format", "json"]).jsonLines ?? []).count
      XCTAssertTrue(
        [usersBefore, usersBefore + (i % 3 == 0 ? 1 : 0)].contains(usersAfter), "old or new vault, kill \(i)")

      // The next write removes stale temp files.
      assertExit(try run(["enrol", "w\(i)", "--activate"]), 0)
      let stale = vaultDirListing().filter { $0.hasPrefix(vaultName + ".tmp-") }
      XCTAssertEqual(stale, [], "temp files left after the next write (kill \(i))")
      XCTAssertEqual(
        bytes(vault + ".journal")?.count ?? 0, 0, "a pending journal is settled by the next write (kill \(i))")
    }
    XCTAssertGreaterThan(killedWhileRunning, kills / 4, "most kills should land while mfactl runs")
  }

  func testStaleTempFileIsRemovedByTheNextWrite() throws {
    try enrol("alice")
    let stale = (vault as NSString).deletingLastPathComponent + "/" + vaultName + ".tmp-99999-deadbeef"
    try write(stale, "left by a crashed writer")
    assertExit(try run(["users", "list"]), 0, "a stale temp file does not stop a reader")
    assertExit(try run(["users", "disable", "alice"]), 0)
    XCTAssertFalse(exists(stale), "the next writer removes stale temp files: \(vaultDirListing())")
  }

  func testForeignOrTornJournalIsDropped() throws {
    let e = try enrol("alice")
    let journal = vault + ".journal"
    var rng = SystemRandomNumberGenerator()
    let before = try XCTUnwrap(vaultState())
    for (i, size) in [1, 40, 200, 3000].enumerated() {
      try writeBytes(journal, Data((0..<size).map { _ in UInt8.random(in: 0...255, using: &rng) }))
      // Readers and writers both open the vault as it is.
      assertExit(try run(["users", "list"]), 0, "journal of \(size) random bytes")
      assertExit(try run(["vault", "check"]), 0)
      if i == 0 { XCTAssertEqual(vaultState(), before, "a foreign journal is never applied") }
    }
    assertExit(try run(["verify", "alice", try totp(e.secret, at: now)]), 0)
    // Format 3: the verify's own entry is there now, applied (OneDurableWriteTests.swift).
    XCTAssertEqual(String(decoding: (bytes(journal) ?? Data()).prefix(8), as: UTF8.self), "MFAJRNL2")
    try assertJournalSettled("the foreign journal is dropped")
    assertExit(try run(["verify", "alice", try totp(e.secret, at: now)]), 1, "the accepted code was recorded")
  }

  func testNoTempFilesAfterOrdinaryWrites() throws {
    let e = try enrol("alice")
    assertExit(try run(["verify", "alice", try totp(e.secret, at: now)]), 0)
    assertExit(try run(["users", "disable", "alice"]), 0)
    let names = vaultDirListing()
    XCTAssertEqual(names.filter { $0.contains(".tmp") }, [], "\(names)")
    try assertJournalSettled("no pending journal entry after a finished write")
    XCTAssertEqual(mode(vault), 0o600, "a rewritten vault stays 0600")
  }

  func testSymlinkedVaultKeepsTheLink() throws {
    let e = try enrol("alice")
    let link = dir + "/link.mfa"
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: vault)
    let before = vaultState()
    assertExit(try run(["verify", "alice", try totp(e.secret, at: now)], env: ["MFACTL_VAULT": link]), 0)
    XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link), vault, "the link is kept")
    XCTAssertNotEqual(vaultState(), before, "the target was replaced")
    assertExit(try run(["verify", "alice", try totp(e.secret, at: now)]), 1, "the change is in the target")
  }

  // MARK: (d) flipped bytes, (e) newer versions

  func testFlippedByteAnywhereIsReportedAsCorrupt() throws {
    let e = try enrol("alice")
    let code = try totp(e.secret, at: now)
    let original = try XCTUnwrap(vaultState())
    let n = original.count
    XCTAssertGreaterThan(n, 200)
    var positions = Set((0..<40).map { $0 * (n - 1) / 39 })
    // The header's version field has its own message (testNewerFormatVersion).
    positions.subtract([8, 9])
    positions.formUnion([0, 7, 10, 14, 30, 38, 39, n - 17, n - 16, n - 1])
    positions = positions.filter { $0 != 8 && $0 != 9 }
    for pos in positions.sorted() {
      var damaged = original
      damaged[pos] ^= 0x20
      try writeBytes(vault, damaged)
      let r = try run(["verify", "alice", code])
      assertError(r, 65, contains: ["corrupt or has been tampered with"])
      if r.code != 65 { XCTFail("byte \(pos) of \(n)") }
      XCTAssertEqual(vaultState(), damaged, "a corrupt vault is left as it is (byte \(pos))")
    }
    try writeBytes(vault, original)
    assertExit(try run(["verify", "alice", code]), 0, "the original still works")
  }

  func testRandomGarbageBehindAValidMagicIsCorruptNeverACrash() throws {
    try enrol("alice")
    let original = try XCTUnwrap(vaultState())
    var rng = SystemRandomNumberGenerator()
    for i in 0..<20 {
      let n = Int.random(in: 10...600, using: &rng)
      var data = Data("MFAVAULT".utf8) + Data([1, 0])
      data += Data((0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) })
      if i % 2 == 0 {
        // Keep the real header and checksum, randomise what follows.
        data = original.prefix(min(original.count, 150)) + data.suffix(from: 10)
      }
      try writeBytes(vault, data)
      for cmd in [["verify", "alice", "123456"], ["vault", "check"]] {
        let r = try run(cmd)
        assertError(r, 65, contains: ["corrupt"])
      }
    }
  }

  func testTruncatedOrEmptyVaultIsCorrupt() throws {
    try enrol("alice")
    let original = try XCTUnwrap(vaultState())
    for len in [0, 4, 8, 20, 60, original.count / 2, original.count - 1] {
      try writeBytes(vault, original.prefix(len))
      let r = try run(["users", "list"])
      assertError(r, 65, contains: ["corrupt"])
      if r.code != 65 { XCTFail("truncated to \(len)") }
    }
    var longer = original
    longer.append(0)
    try writeBytes(vault, longer)
    assertError(try run(["users", "list"]), 65, contains: ["corrupt"])
  }

  func testNewerFormatVersionIs65NamingIt() throws {
    try enrol("alice")
    var data = try XCTUnwrap(vaultState())
    XCTAssertEqual(Array(data[0..<8]), Array("MFAVAULT".utf8))
    XCTAssertEqual(data[8], 4)
    XCTAssertEqual(data[9], 0)
    data[8] = 5
    try writeBytes(vault, data)
    for cmd in [["verify", "alice", "123456"], ["users", "list"], ["vault", "info"]] {
      let r = try run(cmd)
      assertError(r, 65, contains: ["version 5"])
      XCTAssertTrue(r.stderr.contains("newer"), r.description)
    }
    data[8] = 0x2A
    data[9] = 0x01
    try writeBytes(vault, data)
    assertError(try run(["users", "list"]), 65, contains: ["298"])
  }
}

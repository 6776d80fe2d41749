import Foundation
import Sodium
import XCTest

@testable import Vault

/// A crash at every system call of a commit that changes the disk (SimulatedCrash: from
/// the chosen call on, every disk-changing call fails and changes nothing, as after a
/// kill -9). After each, the vault reopens (as a reader, then as a writer), the change
/// is visible if and only if the commit point had returned (the journal's fsync for a
/// write in place, the rename over the vault for a whole-file write: before it, the
/// process never acknowledged the change), the audit chain verifies, and it holds the
/// commit's event if and only if the change is visible. docs/FORMAT.md, "Writing".
final class CrashAtEveryCallTests: XCTestCase {
  var dir: String!
  var path: String { dir + "/v.mfa" }
  var key: SecureBytes!
  /// The files as the setup left them, restored before each crash.
  var baseline: [String: [UInt8]] = [:]

  let old = [UInt8](repeating: 1, count: 40)
  let new = [UInt8](repeating: 2, count: 40)

  override func setUpWithError() throws {
    dir = NSTemporaryDirectory() + "crashateverycall-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    key = try SecureBytes.random(count: 32)
    try VaultFile.create(path: path, keys: [.keyFile(key)], limits: .minimum, now: 1_700_000_000, lockTimeout: 1)
    let v = try open(.exclusive)
    v.put("user/a", old)
    v.appendAudit(Array("created".utf8))
    try v.commit()
  }

  override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

  func open(_ mode: VaultLock.Mode) throws -> VaultFile {
    try VaultFile(path: path, key: .keyFile(key), mode: mode, lockTimeout: 1)
  }

  func contents(_ p: String) -> [UInt8]? { FileManager.default.contents(atPath: p).map { Array($0) } }

  /// Remembers every file of the vault (the lock file aside) as it is now.
  func saveBaseline() throws {
    baseline = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: dir) where !name.hasSuffix(".lock") {
      baseline[name] = contents(dir + "/" + name)
    }
  }

  /// Puts every file back as `saveBaseline` found it, removing any other.
  func restoreBaseline() throws {
    for name in try FileManager.default.contentsOfDirectory(atPath: dir)
    where !name.hasSuffix(".lock") && baseline[name] == nil {
      try FileManager.default.removeItem(atPath: dir + "/" + name)
    }
    for (name, bytes) in baseline { try Data(bytes).write(to: URL(fileURLWithPath: dir + "/" + name)) }
  }

  func events(_ v: VaultFile) throws -> [String] {
    try v.auditRecords().records.map { String(decoding: $0.plaintext, as: UTF8.self) }
  }

  /// Crashes a commit of what `stage` stages at each of its disk-changing calls in turn
  /// (the calls of an uninterrupted run, which must not vary between runs) and checks
  /// the state each crash leaves. `visible` says whether the change is visible in a
  /// vault. A crash after `commitPoint` returned must leave the change visible (it was
  /// acknowledged); one before `lastWrite` (the call that completes what recovery needs)
  /// must not; in between (the journal complete but not synced) the page cache holds a
  /// complete journal and either outcome is right, as long as vault and log agree.
  /// `includes`: calls the commit must make (a checkpoint's, say), so the test crashes
  /// at them too. Returns how many crash points it ran.
  @discardableResult
  func crashAtEveryCall(
    lastWrite: (SimulatedCrash.Call) -> Bool, commitPoint: (SimulatedCrash.Call) -> Bool,
    includes: [(SimulatedCrash.Call) -> Bool] = [],
    stage: (VaultFile) -> Void, event: String, visible: (VaultFile) throws -> Bool, line: UInt = #line
  ) throws -> Int {
    try saveBaseline()
    let reader = try open(.shared)
    let logged = try events(reader)
    reader.close()
    let writer = try open(.exclusive)
    stage(writer)
    let calls = try SimulatedCrash.calls { try writer.commit() }
    guard let point = calls.firstIndex(where: commitPoint), let written = calls.firstIndex(where: lastWrite),
      written <= point
    else {
      XCTFail("the commit point is not among the calls: \(calls)", line: line)
      return 0
    }
    for (i, required) in includes.enumerated() where !calls.contains(where: required) {
      XCTFail("required call \(i) is not among the calls: \(calls)", line: line)
    }
    XCTAssertGreaterThan(calls.count, point + 1, "calls after the commit point are crashed at too", line: line)
    var outcomes: [Bool] = []
    for k in 0..<calls.count {
      try restoreBaseline()
      let where_ = "crash at call \(k) of \(calls.count) (\(calls[k].op) \(calls[k].path))"
      let v = try open(.exclusive)
      stage(v)
      try SimulatedCrash.run(
        at: { call, before in
          if before.count == k { XCTAssertEqual(call.op, calls[k].op, where_, line: line) }
          return before.count == k
        }, line: line
      ) { try v.commit() }

      // A reader first: it must see the committed state (recovering it if need be).
      let r = try open(.shared)
      let changed = try visible(r)
      if k > point { XCTAssertTrue(changed, "acknowledged, so visible: reader, " + where_, line: line) }
      if k <= written { XCTAssertFalse(changed, "never written, so not visible: reader, " + where_, line: line) }
      outcomes.append(changed)
      XCTAssertEqual(try events(r), logged + (changed ? [event] : []), "audit chain, " + where_, line: line)
      r.close()

      // Then a writer: the same state, and the next write goes through and keeps the chain.
      let w = try open(.exclusive)
      XCTAssertEqual(try visible(w), changed, "writer, " + where_, line: line)
      w.appendAudit(Array("after".utf8))
      try w.commit()
      let after = try open(.shared)
      XCTAssertEqual(try events(after), logged + (changed ? [event] : []) + ["after"], where_, line: line)
      XCTAssertEqual(try after.auditRecords().uncommitted, 0, where_, line: line)
      after.close()
    }
    // A later crash never loses what an earlier one kept.
    if let first = outcomes.firstIndex(of: true) {
      XCTAssertFalse(outcomes[first...].contains(false), "outcomes by crash point: \(outcomes)", line: line)
    }
    print("\(name): crashed at each of \(calls.count) calls")
    return calls.count
  }

  func journalWrite(_ c: SimulatedCrash.Call) -> Bool { c.op == .write && c.path == Journal.path(path) }
  func journalFsync(_ c: SimulatedCrash.Call) -> Bool { c.op == .fsync && c.path == Journal.path(path) }

  /// A verify's write: a record replaced by one of the same length, and an event.
  func stageVerify(_ v: VaultFile) {
    v.put("user/a", new)
    v.appendAudit(Array("verified".utf8))
  }

  func testACrashAtAnyCallOfTheFirstWriteInPlaceKeepsTheVaultAndLogConsistent() throws {
    // The first write in place also creates the journal (and syncs the directory).
    XCTAssertFalse(FileManager.default.fileExists(atPath: Journal.path(path)))
    try crashAtEveryCall(lastWrite: journalWrite, commitPoint: journalFsync, stage: stageVerify, event: "verified") {
      try $0.get("user/a") == new
    }
  }

  func testACrashAtAnyCallOfASteadyStateWriteInPlaceKeepsTheVaultAndLogConsistent() throws {
    let v = try open(.exclusive)
    v.put("user/a", [UInt8](repeating: 3, count: 40))
    v.appendAudit(Array("set".utf8))
    try v.commit()
    XCTAssertTrue(FileManager.default.fileExists(atPath: Journal.path(path)), "a write in place made the journal")
    try crashAtEveryCall(lastWrite: journalWrite, commitPoint: journalFsync, stage: stageVerify, event: "verified") {
      try $0.get("user/a") == new
    }
  }

  func testACrashAtAnyCallOfAWholeFileWriteKeepsTheVaultAndLogConsistent() throws {
    let vault = path
    let rename = { (c: SimulatedCrash.Call) in c.op == .rename && c.to == vault }
    try crashAtEveryCall(
      lastWrite: rename, commitPoint: rename,
      stage: { v in
        v.put("user/b", [9])  // an insert: the whole file is written
        v.appendAudit(Array("added".utf8))
      }, event: "added"
    ) { try $0.get("user/b") == [9] }
  }

  /// In-place commits of values 10, 11, ... (one journal entry each) until the journal
  /// holds `entries` entries.
  func fillJournal(to entries: Int) throws {
    for i in 0..<entries {
      let v = try open(.exclusive)
      v.put("user/a", [UInt8](repeating: UInt8(10 + i), count: 40))
      v.appendAudit(Array("fill \(i)".utf8))
      try v.commit()
    }
    XCTAssertEqual(try journalEntries(), entries)
  }

  func journalEntries() throws -> Int {
    guard let bytes = contents(Journal.path(path)), !bytes.isEmpty else { return 0 }
    let v = try open(.shared)
    defer { v.close() }
    return Journal.readChain(bytes, vaultID: v.header.vaultID, key: v.journalKey)?.entries.count ?? -1
  }

  func testACrashAtAnyCallOfACheckpointKeepsTheVaultAndLogConsistent() throws {
    // A full journal: the next write in place checkpoints first (fsync the log, fsync
    // the vault, empty the journal), then appends its entry to the empty journal.
    try fillJournal(to: Journal.checkpointEntries)
    let (journal, vault, log) = (Journal.path(path), path, AuditLog.path(path))
    let n = try crashAtEveryCall(
      lastWrite: journalWrite, commitPoint: journalFsync,
      includes: [
        { $0.op == .fsync && $0.path == log }, { $0.op == .fsync && $0.path == vault },
        { $0.op == .truncate && $0.path == journal },
      ], stage: stageVerify, event: "verified"
    ) { try $0.get("user/a") == new }
    XCTAssertGreaterThan(n, 8)
    // The last run crashed after every call, then wrote "after" in place: two entries.
    XCTAssertEqual(try journalEntries(), 2, "the checkpoint emptied the journal before the entry")
  }

  func testACrashAtAnyCallOfAWholeFileWriteWithPendingEntriesKeepsTheVaultAndLogConsistent() throws {
    try fillJournal(to: 3)
    let vault = path
    let rename = { (c: SimulatedCrash.Call) in c.op == .rename && c.to == vault }
    let log = AuditLog.path(path)
    try crashAtEveryCall(
      lastWrite: rename, commitPoint: rename, includes: [{ $0.op == .fsync && $0.path == log }],
      stage: { v in
        v.put("user/b", [9])  // an insert: the whole-file path
        v.appendAudit(Array("added".utf8))
      }, event: "added"
    ) { try $0.get("user/b") == [9] }
    // The last run crashed after every call, then wrote "after" in place: one entry.
    XCTAssertEqual(try journalEntries(), 1, "emptied once the new vault is in place")
  }

  // MARK: Power cuts

  /// Commit `i` of the stream: user/a set to a value of the same length (in place),
  /// and event "e<i>"; commit `insertAt` also adds a record (a whole-file write).
  func streamCommit(_ i: Int, insertAt: Int) throws {
    let v = try open(.exclusive)
    v.put("user/a", [UInt8](repeating: UInt8(100 + i), count: 40))
    if i == insertAt { v.put("user/b", [UInt8(i)]) }
    v.appendAudit(Array("e\(i)".utf8))
    try v.commit()
  }

  /// A power cut at each disk-changing call of the last commits of a stream that fills
  /// the journal, checkpoints it, writes the whole file and writes in place again
  /// (PowerCutModel: only what was fsynced survives). After recovery the vault and the
  /// log hold exactly the last acknowledged commit, value and event together: never a
  /// mix, never an older or a newer one. (A write in place returns once its journal
  /// entry is synced: the lazy writes after it cannot fail it. A whole-file write
  /// returns after its directory fsync.)
  func testAPowerCutAtAnyCallOfAStreamOfCommitsLeavesTheLastAcknowledgedCommit() throws {
    try saveBaseline()
    let reader = try open(.shared)
    let logged = try events(reader)
    reader.close()
    let commits = Journal.checkpointEntries + 4
    let insertAt = commits - 1
    let window = Journal.checkpointEntries - 1  // crash from this commit on
    var acked = 0
    func stream() throws {
      for i in 1...commits {
        try streamCommit(i, insertAt: insertAt)
        acked = i
      }
    }
    let before = try SimulatedCrash.calls { for i in 1..<window { try streamCommit(i, insertAt: insertAt) } }
    let calls =
      try before + SimulatedCrash.calls { for i in window...commits { try streamCommit(i, insertAt: insertAt) } }
    let startOfWindow = before.count
    var outcomes: [Int: Int] = [:]
    for k in startOfWindow..<calls.count {
      try restoreBaseline()
      let model = PowerCutModel(dir: dir)
      model.install()
      acked = 0
      let where_ = "power cut at call \(k) of \(calls.count) (\(calls[k].op) \(calls[k].path))"
      try SimulatedCrash.run(at: { _, before in before.count == k }) { try stream() }
      try model.cut()

      let r = try open(.shared)
      let value = try XCTUnwrap(try r.get("user/a"), where_).first!
      let state = value == 1 ? 0 : Int(value) - 100
      XCTAssertEqual(state, acked, "the last acknowledged commit: " + where_)
      XCTAssertEqual(try events(r), logged + (0..<state).map { "e\($0 + 1)" }, "value and event together: " + where_)
      XCTAssertEqual(try r.get("user/b") != nil, state >= insertAt, where_)
      r.close()
      outcomes[state, default: 0] += 1

      let w = try open(.exclusive)
      w.appendAudit(Array("after".utf8))
      try w.commit()
      let after = try open(.shared)
      XCTAssertEqual(try events(after).last, "after", where_)
      XCTAssertEqual(try after.auditRecords().uncommitted, 0, where_)
      after.close()
    }
    print(
      "power cuts: \(calls.count - startOfWindow) points; states after recovery: \(outcomes.sorted { $0.key < $1.key })"
    )
  }
}

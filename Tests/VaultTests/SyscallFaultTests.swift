import Foundation
import Sodium
import XCTest

@testable import Vault

/// Disk errors injected through the vault's system-call seam (Syscalls.swift, with
/// SimulatedCrash.failing): a commit that cannot write or sync reports it and leaves
/// the vault it found, with nothing left beside it.
final class SyscallFaultTests: XCTestCase {
  var dir: String!
  var path: String { dir + "/v.mfa" }
  var key: SecureBytes!

  override func setUpWithError() throws {
    dir = NSTemporaryDirectory() + "syscallfaults-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    key = try SecureBytes.random(count: 32)
    try VaultFile.create(path: path, keys: [.keyFile(key)], limits: .minimum, now: 1_700_000_000, lockTimeout: 1)
    let v = try open()
    v.put("user/a", Array(repeating: 1, count: 40))
    v.appendAudit(Array("created".utf8))
    try v.commit()
  }

  override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

  func open() throws -> VaultFile { try VaultFile(path: path, key: .keyFile(key), mode: .exclusive, lockTimeout: 1) }

  func bytes(_ p: String) -> [UInt8]? { FileManager.default.contents(atPath: p).map { Array($0) } }

  func listing() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: dir).sorted() }

  /// The message of the `.io` error `thrown` (fails the test for anything else).
  func ioMessage(_ thrown: Error?, file: StaticString = #filePath, line: UInt = #line) -> String {
    guard case .io(let message)? = thrown as? VaultError else {
      XCTFail("expected an I/O error, got \(String(describing: thrown))", file: file, line: line)
      return ""
    }
    return message
  }

  func testAFullDiskDuringAWholeFileWriteLeavesTheOldVault() throws {
    let (vault, log, files) = (bytes(path), bytes(path + ".audit"), try listing())
    let v = try open()
    v.put("user/b", [2])  // an insert: the whole-file path
    let thrown = try SimulatedCrash.failing(
      with: ENOSPC, at: { $0.op == .write && $0.path.hasPrefix(self.path + ".tmp-") }
    ) {
      try v.commit()
    }
    XCTAssertTrue(ioMessage(thrown).contains("No space left on device"), ioMessage(thrown))
    XCTAssertEqual(bytes(path), vault, "the vault is the old one")
    XCTAssertEqual(bytes(path + ".audit"), log)
    XCTAssertEqual(try listing(), files, "the temp file is removed")
    let r = try VaultFile(path: path, key: .keyFile(key), mode: .shared, lockTimeout: 1)
    XCTAssertNil(try r.get("user/b"))
    XCTAssertEqual(try r.get("user/a"), Array(repeating: 1, count: 40))
  }

  func testAFailedSyncOfTheJournalLeavesTheOldVault() throws {
    let (vault, log) = (bytes(path), bytes(path + ".audit"))
    let v = try open()
    v.put("user/a", Array(repeating: 1, count: 40))  // same length: in place, through the journal
    v.appendAudit(Array("changed".utf8))
    let thrown = try SimulatedCrash.failing(with: EIO, at: { $0.op == .fsync && $0.path == Journal.path(self.path) }) {
      try v.commit()
    }
    XCTAssertTrue(ioMessage(thrown).contains("cannot write journal"), ioMessage(thrown))
    XCTAssertFalse(Journal.hasContent(vaultPath: path), "the journal is emptied again")
    XCTAssertEqual(bytes(path), vault)
    // The event was only in the journal entry (vault format 3): the log is untouched.
    XCTAssertEqual(bytes(path + ".audit"), log)
    let r = try VaultFile(path: path, key: .keyFile(key), mode: .shared, lockTimeout: 1)
    XCTAssertEqual(try r.auditRecords().records.map(\.plaintext), [Array("created".utf8)])
    XCTAssertEqual(try r.auditRecords().uncommitted, 0)
  }
}

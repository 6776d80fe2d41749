import Foundation
import Sodium
import XCTest

@testable import Vault

/// Format 4's group table (docs/FORMAT.md, "Overview"): a vault large enough for several
/// groups of 32 pages (20,000 records: 313 pages of 64 entries, 10 groups). Lookups in every group,
/// in-place writes to records of different groups, and damage to a group's slice of the
/// page table or to the group table.
final class IndexGroupTests: XCTestCase {
  var dir: String!
  var path: String { dir + "/v.mfa" }
  let key = UnlockKey.keyFile(try! SecureBytes.random(count: 32))
  static let records = 20_000

  override func setUpWithError() throws {
    dir = NSTemporaryDirectory() + "indexgroups-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    try VaultFile.create(path: path, keys: [key], limits: .minimum, now: 1_700_000_000, lockTimeout: 1)
    let v = try vault()
    for i in 0..<Self.records { v.put("r/\(i)", value(i, 0)) }
    try v.commit()
  }

  override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

  func vault(_ mode: VaultLock.Mode = .exclusive) throws -> VaultFile {
    try VaultFile(path: path, key: key, mode: mode, lockTimeout: 1)
  }

  /// Same length for every generation, so an update goes in place.
  func value(_ i: Int, _ generation: UInt8) -> [UInt8] { Array("\(i)".utf8) + [generation] }

  func testTheVaultHasSeveralGroups() throws {
    let v = try vault(.shared)
    XCTAssertEqual(v.header.version, 4)
    XCTAssertEqual(v.layout.entriesPerPage, 64)
    XCTAssertEqual(v.layout.pages, 313)
    XCTAssertEqual(v.layout.groups, 10)
    XCTAssertTrue(v.layout.grouped)
  }

  func testEveryRecordIsFoundAndAMissingOneIsNot() throws {
    let v = try vault(.shared)
    for i in stride(from: 0, to: Self.records, by: 97) { XCTAssertEqual(try v.get("r/\(i)"), value(i, 0), "r/\(i)") }
    XCTAssertNil(try v.get("r/\(Self.records)"))
    XCTAssertNil(try v.get("absent"))
    XCTAssertEqual(try v.records(withPrefix: "r/").count, Self.records)
  }

  func testInPlaceWritesAcrossGroupsKeepTheIndexAuthentic() throws {
    // Records whose ids fall in different groups (ids are keyed hashes, so sample many).
    let picks = Array(stride(from: 1, to: Self.records, by: 1_999))
    for generation in UInt8(1)...UInt8(3) {
      let v = try vault()
      for i in picks { v.put("r/\(i)", value(i, generation)) }
      try v.commit()
      XCTAssertTrue(FileManager.default.fileExists(atPath: path + ".journal"))
      let again = try vault(.shared)
      for i in picks { XCTAssertEqual(try again.get("r/\(i)"), value(i, generation)) }
    }
    // The whole index checks out, and the journal's entries were written in place.
    let v = try vault(.shared)
    XCTAssertEqual(try v.records(withPrefix: "r/").count, Self.records)
    let journal = try FileIO.readSmallFile(path + ".journal", limit: 1 << 22)
    XCTAssertGreaterThan(journal.count, Journal.fileHeaderLength, "the updates went in place")
  }

  /// Flips one byte of the file at `offset`.
  func flip(_ offset: Int) throws {
    let fd = open(path, O_RDWR)
    defer { close(fd) }
    var b: UInt8 = 0
    XCTAssertEqual(pread(fd, &b, 1, off_t(offset)), 1)
    b ^= 0x01
    XCTAssertEqual(pwrite(fd, &b, 1, off_t(offset)), 1)
  }

  func testADamagedGroupIsFoundWhenUsedAndByAFullCheck() throws {
    let layout = try vault(.shared).layout
    // A page MAC in group 1's slice of the page table (not the last group's: an open
    // checks the last page, and with it the last group).
    try flip(layout.pageMACAt(IndexLayout.groupPages + 1))
    let v = try vault(.shared)
    // Lookups that land in other groups read only what is authentic; one in group 1
    // fails (and one in group 0's last page, whose records end where group 1's first
    // page says); the full check finds it.
    var failed = 0
    var found = 0
    for i in stride(from: 0, to: Self.records, by: 37) {
      do {
        let got = try v.get("r/\(i)")
        XCTAssertEqual(got, value(i, 0))
        found += 1
      } catch VaultError.corrupt(let why) {
        XCTAssertTrue(why.contains("group 1"), why)
        failed += 1
      }
    }
    XCTAssertGreaterThan(found, 0)
    XCTAssertGreaterThan(failed, 0)
    XCTAssertThrowsError(try vault(.shared).records(withPrefix: "r/")) {
      XCTAssertEqual($0 as? VaultError, .corrupt("index group 1 authentication failed"))
    }
  }

  func testADamagedGroupTableDoesNotOpen() throws {
    let layout = try vault(.shared).layout
    for offset in [layout.groupEntryAt(1), layout.groupMACAt(2) + 5] {
      try flip(offset)
      XCTAssertThrowsError(try vault(.shared), "group table byte \(offset)") {
        XCTAssertEqual($0 as? VaultError, .corrupt("index authentication failed"))
      }
      try flip(offset)
      XCTAssertNoThrow(try vault(.shared))
    }
  }

  func testAGroupTableFirstIDThatIsNotItsFirstPagesIsCorrupt() throws {
    // Rebuild the index with group 1's first id swapped for group 2's, MACs recomputed
    // by a writer with the key: authentic, but the table no longer matches the pages.
    let v = try vault(.shared)
    let layout = v.layout
    var file = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
    let g1 = layout.groupEntryAt(1)
    let g2 = layout.groupEntryAt(2)
    let first2 = Array(file[g2..<(g2 + 16)])
    // Keep the table sorted: group 1's first id becomes just below group 2's.
    var lowered = first2
    lowered[15] = lowered[15] &- 1
    file.replaceSubrange(g1..<(g1 + 16), with: lowered)
    let root = file.withUnsafeBytes { layout.rootMAC(key: v.indexKey, bytes: $0) }
    file.replaceSubrange(layout.rootAt..<(layout.rootAt + 32), with: root)
    try Data(file).write(to: URL(fileURLWithPath: path))
    XCTAssertThrowsError(try vault(.shared).records(withPrefix: "r/")) {
      XCTAssertEqual($0 as? VaultError, .corrupt("index group 1 does not start with its first id"))
    }
  }
}

// Regression tests for what fuzzing found in the Vault module (docs/fuzzing.md). Each
// crash input is also kept in fuzz/corpus/<target>/ as `regression-*`, so every
// `make fuzz-smoke` replays it.
import Foundation
import Sodium
import XCTest

@testable import Vault

final class VaultFuzzRegressionTests: XCTestCase {
  var dir: String!
  var path: String { dir + "/v.mfa" }

  override func setUp() {
    dir = NSTemporaryDirectory() + "vaultfuzz-" + UUID().uuidString
    try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
  }

  override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

  /// A vault with one record, opened by the returned key file.
  func makeVault() throws -> SecureBytes {
    let key = try SecureBytes.random(count: 32)
    try VaultFile.create(path: path, keys: [.keyFile(key)], limits: .minimum, now: 1_700_000_000, lockTimeout: 1)
    let v = try VaultFile(path: path, key: .keyFile(key), mode: .exclusive, lockTimeout: 1)
    v.put("user/alice", [1, 2, 3])
    try v.commit()
    return key
  }

  /// Rewrites the vault's bytes with `edit`, then re-MACs the page table's groups
  /// (format 4) and the index root as the key holder would, so that the edit reaches
  /// the checks behind the MACs.
  func editIndex(key: SecureBytes, _ edit: (IndexLayout, inout [UInt8]) -> Void) throws {
    var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    let (header, headerLength) = try bytes.withUnsafeBytes { try VaultHeader.decode($0) }
    let (dataKey, _) = try SlotCrypto.unwrap(.keyFile(key), header: header)
    let macKey = try Sodium.deriveSubkey(from: dataKey, id: Subkey.indexMAC.rawValue, context: VaultFormat.kdfContext)
    let layout = try XCTUnwrap(IndexLayout(bytes, headerLength: headerLength))
    edit(layout, &bytes)
    for g in 0..<layout.groups {
      let mac = bytes.withUnsafeBytes {
        IndexLayout.groupMAC(
          key: macKey, group: g, pageTable: UnsafeRawBufferPointer(rebasing: $0[layout.groupPageTable(g)]))
      }
      bytes.replaceSubrange(layout.groupMACAt(g)..<(layout.groupMACAt(g) + 32), with: mac)
    }
    let root = bytes.withUnsafeBytes { layout.rootMAC(key: macKey, bytes: $0) }
    bytes.replaceSubrange(layout.rootAt..<layout.recordsStart, with: root)
    try Data(bytes).write(to: URL(fileURLWithPath: path))
  }

  /// Fuzz target `vault`: a page-table record offset of 2^63 or more (with a root MAC
  /// that matches) trapped converting it to Int ("Not enough bits to represent the
  /// passed value", SIGILL) when the vault was opened. It is corrupt (65).
  func testPageOffsetBeyondIntMaxIsCorruptNotATrap() throws {
    let key = try makeVault()
    for offset: UInt64 in [1 << 63, UInt64.max] {
      try editIndex(key: key) { layout, bytes in
        let at = layout.pageEntryAt(0) + 16
        for i in 0..<8 { bytes[at + i] = UInt8(truncatingIfNeeded: offset >> (8 * UInt64(i))) }
      }
      XCTAssertThrowsError(try VaultFile(path: path, key: .keyFile(key), mode: .shared, lockTimeout: 1)) {
        XCTAssertEqual($0 as? VaultError, .corrupt("bad page offset"), "offset \(offset)")
        XCTAssertEqual(($0 as? VaultError)?.exitCode, 65)
      }
    }
  }
}

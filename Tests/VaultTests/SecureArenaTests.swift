import Foundation
import XCTest

@testable import Sodium

/// Small secrets share guarded pages (`SecureArena` in Sources/Sodium/Sodium.swift):
/// one mapping for many keys instead of ten system calls per key, while the pages stay
/// locked, out of core dumps, and every freed slot is wiped.
final class SecureArenaTests: XCTestCase {
  static let page = Int(sysconf(Int32(_SC_PAGESIZE)))

  func address(_ s: SecureBytes) -> Int { s.withUnsafeBytes { Int(bitPattern: $0.baseAddress!) } }

  func testSmallSecretsShareGuardedPages() throws {
    let keys = try (0..<(2 * SecureArena.slotsPerPage)).map { _ in try SecureBytes(count: 32) }
    let pages = Set(keys.map { address($0) / Self.page })
    // Two pages' worth of slots on at most three pages (one may be partly used already);
    // with a mapping per secret it was 126 pages.
    XCTAssertLessThanOrEqual(pages.count, 3)
  }

  func testSlotsAreDistinctAndKeepTheirOwnBytes() throws {
    var keys: [SecureBytes] = []
    for i in 0..<200 {
      let size = [1, 16, 32, 63, 64][i % 5]
      keys.append(try SecureBytes(copying: [UInt8](repeating: UInt8(i), count: size)))
    }
    let starts = keys.map(address).sorted()
    for (a, b) in zip(starts, starts.dropFirst()) { XCTAssertGreaterThanOrEqual(b - a, SecureArena.slotSize) }
    for (i, k) in keys.enumerated() {
      XCTAssertEqual(k.copyBytes(), [UInt8](repeating: UInt8(i), count: k.count), "secret \(i)")
    }
  }

  func testFreedSlotIsWipedAndComesBackZeroed() throws {
    var secret: SecureBytes? = try SecureBytes(copying: [UInt8](repeating: 0xA5, count: 64))
    let slot = UnsafeRawPointer(bitPattern: address(secret!))!
    secret = nil
    // The page stays mapped (the arena keeps its pages): the freed slot reads as zeros.
    XCTAssertEqual(
      Array(UnsafeRawBufferPointer(start: slot, count: SecureArena.slotSize)), [UInt8](repeating: 0, count: 64))
    let again = try SecureBytes(count: 64)
    XCTAssertEqual(address(again), Int(bitPattern: slot), "the last freed slot is handed out next")
    XCTAssertEqual(again.copyBytes(), [UInt8](repeating: 0, count: 64))
  }

  func testLargerSecretsGetTheirOwnAllocation() throws {
    for size in [0, 65, 4096, 100_000] {
      let s = try SecureBytes(count: size)
      XCTAssertEqual(s.count, size)
      XCTAssertEqual(s.copyBytes(), [UInt8](repeating: 0, count: size))
      let filled = try SecureBytes(copying: [UInt8](repeating: 7, count: size))
      XCTAssertEqual(filled.copyBytes(), [UInt8](repeating: 7, count: size))
    }
  }

  func testArenaPagesAreLockedAndNotDumped() throws {
    let key = try SecureBytes.random(count: 32)
    let at = address(key)
    var inMapping = false
    var flags: [Substring]? = nil
    for line in try Self.lines("/proc/self/smaps") {
      let fields = line.split(separator: " ")
      if let range = fields.first, range.contains("-"), !line.hasPrefix("VmFlags") {
        let ends = range.split(separator: "-").compactMap { Int($0, radix: 16) }
        inMapping = ends.count == 2 && ends[0] <= at && at < ends[1]
      } else if inMapping, line.hasPrefix("VmFlags:") {
        flags = Array(fields.dropFirst())
        break
      }
    }
    let f = try XCTUnwrap(flags, "no mapping holds the secret")
    XCTAssertTrue(f.contains("dd"), "not excluded from core dumps: \(f)")
    // mlock may be refused under a small RLIMIT_MEMLOCK (libsodium then goes on unlocked);
    // root has no such limit.
    if getuid() == 0 { XCTAssertTrue(f.contains("lo"), "not locked in memory: \(f)") }
  }

  /// The lines of a /proc file (their size reads as 0, so read until the end).
  static func lines(_ path: String) throws -> [Substring] {
    guard let f = fopen(path, "r") else { throw XCTSkip("cannot read \(path)") }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = fread(&buffer, 1, buffer.count, f)
      if n == 0 { break }
      bytes += buffer[0..<n]
    }
    return String(decoding: bytes, as: UTF8.self).split(separator: "\n")
  }

  func testConcurrentUse() throws {
    let failures = UnsafeMutablePointer<Int>.allocate(capacity: 8)
    failures.initialize(repeating: 0, count: 8)
    defer { failures.deallocate() }
    DispatchQueue.concurrentPerform(iterations: 8) { t in
      for i in 0..<500 {
        let pattern = [UInt8](repeating: UInt8((t * 31 + i) & 0xFF), count: 32)
        guard let s = try? SecureBytes(copying: pattern), s.copyBytes() == pattern else {
          failures[t] += 1
          continue
        }
      }
    }
    XCTAssertEqual((0..<8).map { failures[$0] }, [Int](repeating: 0, count: 8))
  }
}

// Finding records through the index (docs/FORMAT.md, "Records"; its byte layout is
// IndexLayout in Index.swift): a binary search of the authenticated page table, then
// of the one page that can hold an id, each page checked against its MAC when first used.
import Sodium

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension VaultFile {
  public var recordCount: Int { count }

  func entryID(_ i: Int) -> UnsafeRawBufferPointer {
    let at = layout.entryAt(i)
    return UnsafeRawBufferPointer(rebasing: map.bytes[at..<(at + 16)])
  }

  func entryLength(_ i: Int) -> Int {
    Int(UInt32(littleEndian: map.bytes.loadUnaligned(fromByteOffset: layout.entryAt(i) + 16, as: UInt32.self)))
  }

  func pageFirstID(_ p: Int) -> UnsafeRawBufferPointer {
    let at = layout.pageEntryAt(p)
    return UnsafeRawBufferPointer(rebasing: map.bytes[at..<(at + 16)])
  }

  /// Clamped: an offset above Int.max (found by fuzzing, docs/fuzzing.md) is then
  /// refused as past the end of the file instead of trapping in the conversion.
  func pageOffset(_ p: Int) -> Int {
    Int(
      clamping: UInt64(
        littleEndian: map.bytes.loadUnaligned(fromByteOffset: layout.pageEntryAt(p) + 16, as: UInt64.self)))
  }

  /// Checks a page against its MAC in the (authenticated) page table, and its shape:
  /// ids sorted and starting with the table's first id, sane lengths that tile the
  /// records from the page's offset to the next page's (or the end of the file).
  func verifyPage(_ p: Int) throws {
    if verifiedPages[p] { return }
    let range = layout.pageRange(p)
    let bytes = UnsafeRawBufferPointer(
      rebasing: map.bytes[layout.entryAt(range.lowerBound)..<layout.entryAt(range.upperBound)])
    let mac = IndexLayout.pageMAC(key: indexKey, page: p, entries: bytes)
    let macAt = layout.pageMACAt(p)
    guard Sodium.constantTimeEqual(mac, Array(map.bytes[macAt..<(macAt + 32)])) else {
      throw VaultError.corrupt("index page \(p) authentication failed")
    }
    guard memcmp(entryID(range.lowerBound).baseAddress!, pageFirstID(p).baseAddress!, 16) == 0 else {
      throw VaultError.corrupt("index page \(p) does not start with its first id")
    }
    var end = pageOffset(p)
    for i in range {
      if i > range.lowerBound && memcmp(entryID(i - 1).baseAddress!, entryID(i).baseAddress!, 16) >= 0 {
        throw VaultError.corrupt("index is not sorted")
      }
      let len = entryLength(i)
      guard len >= Sodium.aeadNonceLength + Sodium.aeadTagLength + 6, len <= VaultFormat.maxRecordLength else {
        throw VaultError.corrupt("bad record length")
      }
      end += len
    }
    let expectedEnd = p + 1 < layout.pages ? pageOffset(p + 1) : map.bytes.count
    guard end == expectedEnd else { throw VaultError.corrupt("records do not match the index") }
    verifiedPages[p] = true
  }

  /// Where record `i` starts (`count`: the end of the file). Checks its page.
  func recordOffset(_ i: Int) throws -> Int {
    if i == count { return map.bytes.count }
    let p = i / IndexLayout.pageEntries
    try verifyPage(p)
    var offset = pageOffset(p)
    for j in (p * IndexLayout.pageEntries)..<i { offset += entryLength(j) }
    return offset
  }

  /// The first index position whose id is not below `id`, and whether the id is there.
  /// Searches the page table, then the one page that can hold the id (checked).
  func lowerBound(_ id: [UInt8]) throws -> (Int, Bool) {
    var lo = 0
    var hi = layout.pages
    while lo < hi {  // the first page whose first id is above `id`
      let mid = (lo + hi) / 2
      let c = id.withUnsafeBytes { memcmp(pageFirstID(mid).baseAddress!, $0.baseAddress!, 16) }
      if c <= 0 { lo = mid + 1 } else { hi = mid }
    }
    if lo == 0 { return (0, false) }  // below every id
    let p = lo - 1
    try verifyPage(p)
    let range = layout.pageRange(p)
    lo = range.lowerBound
    hi = range.upperBound
    while lo < hi {
      let mid = (lo + hi) / 2
      let c = id.withUnsafeBytes { memcmp(entryID(mid).baseAddress!, $0.baseAddress!, 16) }
      if c < 0 { lo = mid + 1 } else { hi = mid }
    }
    let found =
      lo < range.upperBound && id.withUnsafeBytes { memcmp(entryID(lo).baseAddress!, $0.baseAddress!, 16) } == 0
    return (lo, found)
  }

  func find(_ id: [UInt8]) throws -> Int? {
    let (i, found) = try lowerBound(id)
    return found ? i : nil
  }
}

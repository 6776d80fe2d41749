// Finding records through the index (docs/FORMAT.md, "Records"; its byte layout is
// IndexLayout in Index.swift): a binary search of the authenticated group table (format
// 4; formats 1-3 search the page table, which their root MAC covers), then of the
// group's pages, then of the one page that can hold an id. Each group and page is
// checked against its MAC when first used, and no search step reads bytes that are not
// yet authenticated.
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

  func groupFirstID(_ g: Int) -> UnsafeRawBufferPointer {
    let at = layout.groupEntryAt(g)
    return UnsafeRawBufferPointer(rebasing: map.bytes[at..<(at + 16)])
  }

  /// Format 4: checks a group of the page table against its MAC in the (authenticated)
  /// group table, that the group table's first id is its first page's, and its pages'
  /// order and offsets (`checkPageTable`). Formats 1-3: nothing to do, the root MAC
  /// covers the page table and the open checked it.
  func verifyGroup(_ g: Int) throws {
    guard layout.grouped, !verifiedGroups[g] else { return }
    let table = UnsafeRawBufferPointer(rebasing: map.bytes[layout.groupPageTable(g)])
    let mac = IndexLayout.groupMAC(key: indexKey, group: g, pageTable: table)
    let macAt = layout.groupMACAt(g)
    guard Sodium.constantTimeEqual(mac, Array(map.bytes[macAt..<(macAt + 32)])) else {
      throw VaultError.corrupt("index group \(g) authentication failed")
    }
    let pages = layout.groupRange(g)
    guard memcmp(groupFirstID(g).baseAddress!, pageFirstID(pages.lowerBound).baseAddress!, 16) == 0 else {
      throw VaultError.corrupt("index group \(g) does not start with its first id")
    }
    try checkPageTable(pages)
    // Its last page's first id is below the next group's first id.
    if g + 1 < layout.groups
      && memcmp(pageFirstID(pages.upperBound - 1).baseAddress!, groupFirstID(g + 1).baseAddress!, 16) >= 0
    {
      throw VaultError.corrupt("page table is not sorted")
    }
    verifiedGroups[g] = true
  }

  /// Checks a page against its MAC in the (authenticated) page table, and its shape:
  /// ids sorted and starting with the table's first id, sane lengths that tile the
  /// records from the page's offset to the next page's (or the end of the file).
  func verifyPage(_ p: Int) throws {
    if verifiedPages[p] { return }
    // The page's entry in the page table, and the next page's (its offset ends this
    // page's records), are authenticated by their groups.
    try verifyGroup(p / IndexLayout.groupPages)
    if p + 1 < layout.pages { try verifyGroup((p + 1) / IndexLayout.groupPages) }
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
    let p = layout.page(of: i)
    try verifyPage(p)
    var offset = pageOffset(p)
    for j in layout.pageRange(p).lowerBound..<i { offset += entryLength(j) }
    return offset
  }

  /// The first index position whose id is not below `id`, and whether the id is there.
  /// Searches the page table, then the one page that can hold the id (checked).
  func lowerBound(_ id: [UInt8]) throws -> (Int, Bool) {
    var lo = 0
    var hi = layout.pages
    if layout.grouped {
      // The last group whose first id is not above `id`, then search only its pages.
      var glo = 0
      var ghi = layout.groups
      while glo < ghi {
        let mid = (glo + ghi) / 2
        let c = id.withUnsafeBytes { memcmp(groupFirstID(mid).baseAddress!, $0.baseAddress!, 16) }
        if c <= 0 { glo = mid + 1 } else { ghi = mid }
      }
      if glo == 0 { return (0, false) }  // below every id
      try verifyGroup(glo - 1)
      let pages = layout.groupRange(glo - 1)
      lo = pages.lowerBound
      hi = pages.upperBound
    }
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

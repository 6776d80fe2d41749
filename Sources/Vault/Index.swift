// The record index (docs/FORMAT.md, "Overview"). Entries are authenticated in pages
// under a keyed MAC each: 64 entries a page from format 4, 256 before. From format 4 the
// page table is authenticated in groups of 32 pages, each under a MAC in the group
// table, and the root MAC covers the header and the group table; in formats 1-3 the
// root MAC covers the whole page table. Opening a vault checks the root (2.4 KB of
// group table at 100,000 users, where a format 3 page table was 22 KB), and a lookup
// checks one group (1.8 KB) and one page (2.3 KB). An in-place write re-MACs a page,
// its group and the root.
import Sodium

struct IndexLayout: Equatable {
  static let entryLength = 36  // id 16, sealed length u32, tag 16
  /// Entries per page in formats 1-3; format 4 has smaller pages (`entriesPerPage`).
  static let pageEntries = 256
  static let groupedPageEntries = 64
  static let pageTableEntryLength = 56  // first id 16, record offset u64, page MAC 32
  static let groupPages = 32
  static let groupEntryLength = 48  // first id 16, group MAC 32
  static let macLength = 32
  /// The first format version with the group table.
  static let groupedVersion: UInt16 = 4

  /// Where the record count is: right after the header and its checksum.
  let countAt: Int
  let count: Int
  /// Format 4 and later: the page table is authenticated in groups (the group table).
  let grouped: Bool
  /// 64 from format 4 (a page MAC hashes 2.3 KB), 256 before.
  let entriesPerPage: Int

  var entriesStart: Int { countAt + 4 }
  var pages: Int { (count + entriesPerPage - 1) / entriesPerPage }
  var pageTableStart: Int { entriesStart + count * Self.entryLength }
  var groups: Int { grouped ? (pages + Self.groupPages - 1) / Self.groupPages : 0 }
  var groupTableStart: Int { pageTableStart + pages * Self.pageTableEntryLength }
  var rootAt: Int { groupTableStart + groups * Self.groupEntryLength }
  var recordsStart: Int { rootAt + Self.macLength }

  init(headerLength: Int, count: Int, version: UInt16) {
    countAt = headerLength + 32
    self.count = count
    grouped = version >= Self.groupedVersion
    entriesPerPage = grouped ? Self.groupedPageEntries : Self.pageEntries
  }

  /// Reads the format version and the record count from a file and checks the index
  /// fits in it. The version is read from the header (offset 8), which the caller has
  /// decoded or is about to check against its checksum.
  init?<C: Collection>(_ bytes: C, headerLength: Int) where C.Index == Int, C.Element == UInt8 {
    let at = headerLength + 32
    guard headerLength >= 10, bytes.count >= at + 4 else { return nil }
    var n = 0
    for i in 0..<4 { n |= Int(bytes[bytes.startIndex + at + i]) << (8 * i) }
    guard n <= VaultFormat.maxRecords else { return nil }
    self.init(headerLength: headerLength, count: n, version: Self.version(bytes))
    guard recordsStart <= bytes.count else { return nil }
  }

  /// The format version in a header's bytes (u16 at offset 8), which fixes the layout.
  static func version<C: Collection>(_ bytes: C) -> UInt16 where C.Index == Int, C.Element == UInt8 {
    UInt16(bytes[bytes.startIndex + 8]) | UInt16(bytes[bytes.startIndex + 9]) << 8
  }

  func entryAt(_ i: Int) -> Int { entriesStart + i * Self.entryLength }
  func tagAt(_ i: Int) -> Int { entryAt(i) + 20 }
  func pageEntryAt(_ p: Int) -> Int { pageTableStart + p * Self.pageTableEntryLength }
  func pageMACAt(_ p: Int) -> Int { pageEntryAt(p) + 24 }
  func pageRange(_ p: Int) -> Range<Int> { (p * entriesPerPage)..<min((p + 1) * entriesPerPage, count) }
  func page(of entry: Int) -> Int { entry / entriesPerPage }
  func groupEntryAt(_ g: Int) -> Int { groupTableStart + g * Self.groupEntryLength }
  func groupMACAt(_ g: Int) -> Int { groupEntryAt(g) + 16 }
  /// The pages of group `g`.
  func groupRange(_ g: Int) -> Range<Int> { (g * Self.groupPages)..<min((g + 1) * Self.groupPages, pages) }
  /// The group's slice of the page table, in file offsets.
  func groupPageTable(_ g: Int) -> Range<Int> {
    let r = groupRange(g)
    return pageEntryAt(r.lowerBound)..<pageEntryAt(r.upperBound)
  }

  // MARK: MACs

  /// BLAKE2b-256(K_index, page number u32 || the page's entries).
  static func pageMAC(key: SecureBytes, page: Int, entries: UnsafeRawBufferPointer) -> [UInt8] {
    let mac = Sodium.Blake2bState(key: key, length: macLength)
    var w = ByteWriter(capacity: 4)
    w.u32(UInt32(page))
    mac.update(w.bytes)
    mac.update(entries)
    return mac.finish()
  }

  /// BLAKE2b-256(K_index, "group" || group number (u32) || the group's page table
  /// entries). The domain label keeps a group MAC from ever equalling a page MAC.
  static func groupMAC(key: SecureBytes, group: Int, pageTable: UnsafeRawBufferPointer) -> [UInt8] {
    let mac = Sodium.Blake2bState(key: key, length: macLength)
    var w = ByteWriter(capacity: 9)
    w.raw(Array("group".utf8))
    w.u32(UInt32(group))
    mac.update(w.bytes)
    mac.update(pageTable)
    return mac.finish()
  }

  /// BLAKE2b-256(K_index, header || checksum || count || covered), read from `bytes`
  /// laid out as this index says: `covered` is the group table (format 4), or the page
  /// table (formats 1-3).
  func rootMAC(key: SecureBytes, bytes: UnsafeRawBufferPointer) -> [UInt8] {
    rootMAC(
      key: key, prefix: UnsafeRawBufferPointer(rebasing: bytes[0..<entriesStart]),
      covered: UnsafeRawBufferPointer(rebasing: bytes[rootCovers]))
  }

  /// What the root MAC covers after the header, checksum and count.
  var rootCovers: Range<Int> { (grouped ? groupTableStart : pageTableStart)..<rootAt }

  func rootMAC(key: SecureBytes, prefix: UnsafeRawBufferPointer, covered: UnsafeRawBufferPointer) -> [UInt8] {
    let mac = Sodium.Blake2bState(key: key, length: Self.macLength)
    mac.update(prefix)
    mac.update(covered)
    return mac.finish()
  }

  func rootAuthenticates(key: SecureBytes, bytes: UnsafeRawBufferPointer) -> Bool {
    Sodium.constantTimeEqual(rootMAC(key: key, bytes: bytes), Array(bytes[rootAt..<recordsStart]))
  }

  // MARK: Building

  /// Everything before the records of a new file: `headerAndChecksum`, the count, the
  /// entries (sorted, `count` of them), the page table and the root MAC. Record offsets
  /// follow from the entries' lengths.
  /// The layout (with or without the group table) follows the version in the header.
  static func build(headerAndChecksum: [UInt8], entries: [UInt8], key: SecureBytes) -> [UInt8] {
    let count = entries.count / entryLength
    let layout = IndexLayout(
      headerLength: headerAndChecksum.count - 32, count: count, version: version(headerAndChecksum))
    var w = ByteWriter(capacity: layout.recordsStart)
    w.raw(headerAndChecksum)
    w.u32(UInt32(count))
    w.raw(entries)
    var offset = layout.recordsStart
    entries.withUnsafeBytes { raw in
      for p in 0..<layout.pages {
        let range = layout.pageRange(p)
        let first = range.lowerBound * entryLength
        let pageBytes = UnsafeRawBufferPointer(rebasing: raw[first..<(range.upperBound * entryLength)])
        w.raw(UnsafeRawBufferPointer(rebasing: raw[first..<(first + 16)]))
        w.u64(UInt64(offset))
        w.raw(pageMAC(key: key, page: p, entries: pageBytes))
        for i in range {
          offset += Int(raw.loadUnaligned(fromByteOffset: i * entryLength + 16, as: UInt32.self).littleEndian)
        }
      }
    }
    if layout.grouped {
      let tableBytes = w.bytes
      tableBytes.withUnsafeBytes { raw in
        for g in 0..<layout.groups {
          let first = layout.pageEntryAt(layout.groupRange(g).lowerBound)
          w.raw(UnsafeRawBufferPointer(rebasing: raw[first..<(first + 16)]))
          w.raw(
            groupMAC(key: key, group: g, pageTable: UnsafeRawBufferPointer(rebasing: raw[layout.groupPageTable(g)])))
        }
      }
    }
    let root = w.bytes.withUnsafeBytes { layout.rootMAC(key: key, bytes: $0) }
    w.raw(root)
    return w.bytes
  }
}

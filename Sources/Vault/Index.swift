// The two-level record index (docs/FORMAT.md, "Overview"). Entries are authenticated in
// pages of 256 under a keyed MAC each; the root MAC covers the header and the page
// table (each page's first id, record offset and MAC). Opening a vault checks the root
// (22 KB at 100,000 users) and a lookup checks one page (9 KB), so neither grows with
// the vault; an in-place write re-MACs one page and the root.
import Sodium

struct IndexLayout: Equatable {
  static let entryLength = 36  // id 16, sealed length u32, tag 16
  static let pageEntries = 256
  static let pageTableEntryLength = 56  // first id 16, record offset u64, page MAC 32
  static let macLength = 32

  /// Where the record count is: right after the header and its checksum.
  let countAt: Int
  let count: Int

  var entriesStart: Int { countAt + 4 }
  var pages: Int { (count + Self.pageEntries - 1) / Self.pageEntries }
  var pageTableStart: Int { entriesStart + count * Self.entryLength }
  var rootAt: Int { pageTableStart + pages * Self.pageTableEntryLength }
  var recordsStart: Int { rootAt + Self.macLength }

  init(headerLength: Int, count: Int) {
    countAt = headerLength + 32
    self.count = count
  }

  /// Reads the record count from a file and checks the index fits in it.
  init?<C: Collection>(_ bytes: C, headerLength: Int) where C.Index == Int, C.Element == UInt8 {
    let at = headerLength + 32
    guard bytes.count >= at + 4 else { return nil }
    var n = 0
    for i in 0..<4 { n |= Int(bytes[bytes.startIndex + at + i]) << (8 * i) }
    guard n <= VaultFormat.maxRecords else { return nil }
    self.init(headerLength: headerLength, count: n)
    guard recordsStart <= bytes.count else { return nil }
  }

  func entryAt(_ i: Int) -> Int { entriesStart + i * Self.entryLength }
  func tagAt(_ i: Int) -> Int { entryAt(i) + 20 }
  func pageEntryAt(_ p: Int) -> Int { pageTableStart + p * Self.pageTableEntryLength }
  func pageMACAt(_ p: Int) -> Int { pageEntryAt(p) + 24 }
  func pageRange(_ p: Int) -> Range<Int> { (p * Self.pageEntries)..<min((p + 1) * Self.pageEntries, count) }

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

  /// BLAKE2b-256(K_index, header || checksum || count || page table), read from `bytes`
  /// laid out as this index says.
  func rootMAC(key: SecureBytes, bytes: UnsafeRawBufferPointer) -> [UInt8] {
    let mac = Sodium.Blake2bState(key: key, length: Self.macLength)
    mac.update(UnsafeRawBufferPointer(rebasing: bytes[0..<entriesStart]))
    mac.update(UnsafeRawBufferPointer(rebasing: bytes[pageTableStart..<rootAt]))
    return mac.finish()
  }

  func rootAuthenticates(key: SecureBytes, bytes: UnsafeRawBufferPointer) -> Bool {
    Sodium.constantTimeEqual(rootMAC(key: key, bytes: bytes), Array(bytes[rootAt..<recordsStart]))
  }

  // MARK: Building

  /// Everything before the records of a new file: `headerAndChecksum`, the count, the
  /// entries (sorted, `count` of them), the page table and the root MAC. Record offsets
  /// follow from the entries' lengths.
  static func build(headerAndChecksum: [UInt8], entries: [UInt8], key: SecureBytes) -> [UInt8] {
    let count = entries.count / entryLength
    let layout = IndexLayout(headerLength: headerAndChecksum.count - 32, count: count)
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
    let root = w.bytes.withUnsafeBytes { layout.rootMAC(key: key, bytes: $0) }
    w.raw(root)
    return w.bytes
  }
}

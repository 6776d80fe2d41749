// Storage of the tamper-evident audit log (docs/FORMAT.md, "Audit log"). What an event
// says is the domain's business: here a record is opaque bytes, sealed under K_audit
// with its sequence number and the tag of the record before it in the associated data,
// and appended to `<vault>.audit`. The vault holds the committed head (`audit/head`:
// last sequence number and tag, where the committed part of the file ends, and the
// anchor the file starts from), so truncating, replacing or cutting the front off the
// file is detected too, while an append costs one small write whatever the length of
// the history.
//
// Write order (VaultFile.commit): records are sealed first and the head staged with
// the vault's changes. A write in place puts the records in its journal entry, whose
// fsync commits both (JournalEntries.swift); a whole-file write appends and fsyncs
// them before it replaces the vault, and a crash in between leaves records after the
// head's end: an uncommitted tail, reported as such and dropped by the next write.
import Sodium

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One committed audit record: its sequence number and the caller's plaintext.
public struct AuditRecord: Equatable {
  public let seq: UInt64
  public let plaintext: [UInt8]

  public init(seq: UInt64, plaintext: [UInt8]) {
    self.seq = seq
    self.plaintext = plaintext
  }
}

enum AuditLog {
  static let magic: [UInt8] = Array("MFAAUDIT".utf8)
  /// The highest audit file version this build reads, and the one it writes.
  static let version: UInt16 = 1
  /// magic 8, version 2, vault id 16, anchor seq 8, anchor tag 16.
  static let headerLength = 50
  /// length u32, seq u64.
  static let recordPrefixLength = 12
  static let tagLength = 16
  /// Sealed part (nonce || ciphertext || tag) of a record: at least one byte of plaintext.
  static let minSealedLength = 24 + 16 + 1
  static let maxSealedLength = 1 << 20
  static let maxPlaintextLength = maxSealedLength - 24 - 16
  /// The vault record holding the committed head.
  static let headKey = "audit/head"
  static let zeroTag = [UInt8](repeating: 0, count: 16)

  static func path(_ vaultPath: String) -> String { vaultPath + ".audit" }
  /// A rewritten log (prune, rekey) waiting for its vault commit; see `settle`.
  static func nextPath(_ vaultPath: String) -> String { vaultPath + ".audit.next" }

  static func tampered(_ seq: UInt64, _ reason: String) -> VaultError {
    .auditTampered(firstBadSeq: seq, reason: reason)
  }

  // MARK: The head (vault record `audit/head`)

  struct Head: Equatable {
    /// The last committed record's sequence number and tag.
    var seq: UInt64
    var tag: [UInt8]
    /// The file length after the last committed record.
    var end: UInt64
    /// Where the file's chain starts: the header's anchor (0 and zeros until a prune).
    var anchorSeq: UInt64
    var anchorTag: [UInt8]

    static let length = 56

    func encode() -> [UInt8] {
      var w = ByteWriter(capacity: Self.length)
      w.u64(seq)
      w.raw(tag)
      w.u64(end)
      w.u64(anchorSeq)
      w.raw(anchorTag)
      return w.bytes
    }

    static func decode(_ bytes: [UInt8]) throws -> Head {
      guard bytes.count == length else { throw VaultError.corrupt("bad audit head") }
      return try bytes.withUnsafeBytes { raw in
        var r = ByteReader(raw)
        let h = Head(
          seq: try r.u64(), tag: try r.raw(16), end: try r.u64(), anchorSeq: try r.u64(), anchorTag: try r.raw(16))
        guard h.seq >= h.anchorSeq, h.end >= UInt64(headerLength), h.end < UInt64(Int.max / 2),
          (h.seq == h.anchorSeq) == (h.end == UInt64(headerLength))
        else { throw VaultError.corrupt("bad audit head") }
        return h
      }
    }
  }

  // MARK: Header and records

  static func header(vaultID: [UInt8], anchorSeq: UInt64, anchorTag: [UInt8]) -> [UInt8] {
    var w = ByteWriter(capacity: headerLength)
    w.raw(magic)
    w.u16(version)
    w.raw(vaultID)
    w.u64(anchorSeq)
    w.raw(anchorTag)
    return w.bytes
  }

  /// Checks a header and returns its anchor. `firstBad` names the record reported when
  /// the header is bad (the first one the log should hold).
  static func readHeader(_ b: UnsafeRawBufferPointer, vaultID: [UInt8], firstBad: UInt64) throws -> (
    seq: UInt64, tag: [UInt8]
  ) {
    guard b.count >= headerLength, Array(b[0..<8]) == magic else {
      throw tampered(firstBad, "the log file is not an audit log (bad magic)")
    }
    var r = ByteReader(b, offset: 8)
    let v = try r.u16()
    guard v >= 1 else { throw tampered(firstBad, "the log file has version 0") }
    guard v <= version else { throw VaultError.unsupportedAuditVersion(v) }
    guard try r.raw(16) == vaultID else { throw tampered(firstBad, "the log file belongs to another vault") }
    return (try r.u64(), try r.raw(16))
  }

  /// The associated data of record `seq` (docs/FORMAT.md, "Audit log": "File").
  static func associatedData(vaultID: [UInt8], seq: UInt64, prevTag: [UInt8]) -> [UInt8] {
    var w = ByteWriter(capacity: 48)
    w.raw(magic)
    w.raw(vaultID)
    w.u64(seq)
    w.raw(prevTag)
    return w.bytes
  }

  /// A whole record as the file holds it (docs/FORMAT.md, "Audit log": "File"). Its tag
  /// is its last 16 bytes.
  static func sealRecord(_ plaintext: [UInt8], seq: UInt64, prevTag: [UInt8], vaultID: [UInt8], key: SecureBytes)
    -> [UInt8]
  {
    let sealed = Sodium.seal(
      plaintext, additionalData: associatedData(vaultID: vaultID, seq: seq, prevTag: prevTag), key: key)
    var w = ByteWriter(capacity: recordPrefixLength + sealed.count)
    w.u32(UInt32(sealed.count))
    w.u64(seq)
    w.raw(sealed)
    return w.bytes
  }

  static func checkPlaintext(_ p: [UInt8]) throws {
    guard !p.isEmpty, p.count <= maxPlaintextLength else {
      throw VaultError.invalid("an audit record holds 1 to \(maxPlaintextLength) bytes, not \(p.count)")
    }
  }

  // MARK: Verifying

  /// Walks a whole log file: the header, every committed record up to `head` (throwing
  /// `auditTampered` at the first bad one), then the records after the head's end, which
  /// an interrupted write left (counted while they chain; never fatal). `file` nil: no
  /// file. `visit` gets each committed record's sequence number, offset, tag and
  /// plaintext (which it may take or must wipe). Returns the number of uncommitted records.
  @discardableResult
  static func verify(
    _ file: UnsafeRawBufferPointer?, head: Head?, vaultID: [UInt8], key: SecureBytes,
    visit: (_ seq: UInt64, _ offset: Int, _ tag: [UInt8], _ plaintext: inout [UInt8]) -> Void
  ) throws -> Int {
    let anchorSeq = head?.anchorSeq ?? 0
    let anchorTag = head?.anchorTag ?? zeroTag
    let headSeq = head?.seq ?? 0
    guard let file = file else {
      if let head = head {
        throw tampered(anchorSeq + 1, "the log file is missing; the vault's head says \(head.seq) records")
      }
      return 0
    }
    if file.count < headerLength && head == nil { return 0 }  // its creation was interrupted
    func truncated(_ expected: UInt64) -> VaultError {
      tampered(expected, "the log is truncated: the vault's head says \(headSeq) records; the log has \(expected - 1)")
    }
    if file.count < headerLength { throw truncated(anchorSeq + 1) }
    let anchor = try readHeader(file, vaultID: vaultID, firstBad: anchorSeq + 1)
    if anchor.seq != anchorSeq || anchor.tag != anchorTag {
      if head == nil {
        throw tampered(1, "the log starts after record \(anchor.seq), but the vault has no committed records")
      }
      if anchor.seq != anchorSeq {
        throw tampered(
          min(anchor.seq, anchorSeq) + 1,
          "the log starts after record \(anchor.seq); the vault's head says after record \(anchorSeq)"
            + (anchor.seq > anchorSeq ? " (records were removed from the start)" : ""))
      }
      throw tampered(anchorSeq + 1, "the log's anchor does not match the vault's head")
    }

    let committedEnd = head.map { Int($0.end) } ?? headerLength
    var off = headerLength
    var expected = anchorSeq + 1
    var prev = anchorTag
    func u32(_ at: Int) -> Int { Int(UInt32(littleEndian: file.loadUnaligned(fromByteOffset: at, as: UInt32.self))) }
    func u64(_ at: Int) -> UInt64 { UInt64(littleEndian: file.loadUnaligned(fromByteOffset: at + 4, as: UInt64.self)) }
    func open(_ at: Int, _ len: Int, seq: UInt64, prev: [UInt8]) -> [UInt8]? {
      let sealed = UnsafeRawBufferPointer(rebasing: file[(at + recordPrefixLength)..<(at + recordPrefixLength + len)])
      return try? Sodium.open(
        sealed, additionalData: associatedData(vaultID: vaultID, seq: seq, prevTag: prev), key: key)
    }

    while off < committedEnd {
      guard off + recordPrefixLength <= file.count else { throw truncated(expected) }
      let len = u32(off)
      guard len >= minSealedLength, len <= maxSealedLength else {
        throw tampered(expected, "record \(expected) has an impossible length (\(len) bytes)")
      }
      let recordEnd = off + recordPrefixLength + len
      if recordEnd > committedEnd {
        if file.count < committedEnd { throw truncated(expected) }
        throw tampered(expected, "record \(expected) runs past the end of the log the vault's head records")
      }
      guard recordEnd <= file.count else { throw truncated(expected) }
      let seq = u64(off)
      if seq != expected { throw misplaced(file, at: off, found: seq, expected: expected, prev: prev, open: open) }
      guard var plain = open(off, len, seq: seq, prev: prev) else {
        throw tampered(
          expected,
          "record \(expected) does not authenticate (its bytes were changed, or it was not written after the record before it)"
        )
      }
      prev = Array(file[(recordEnd - tagLength)..<recordEnd])
      visit(seq, off, prev, &plain)
      expected += 1
      off = recordEnd
    }
    if let head = head {
      if expected - 1 != head.seq {
        if expected - 1 < head.seq {
          throw tampered(expected, "the vault's head says \(head.seq) records; the log has \(expected - 1)")
        }
        throw tampered(head.seq + 1, "the log holds more records than the vault's head says (\(head.seq))")
      }
      guard prev == head.tag else {
        throw tampered(head.seq, "record \(head.seq) is not the one the vault's head names")
      }
    }

    // The uncommitted tail: records an interrupted write appended after the head.
    var tail = 0
    while off + recordPrefixLength <= file.count {
      let len = u32(off)
      guard len >= minSealedLength, len <= maxSealedLength, off + recordPrefixLength + len <= file.count,
        u64(off) == expected, var plain = open(off, len, seq: expected, prev: prev)
      else { break }
      Sodium.wipe(&plain)
      off += recordPrefixLength + len
      prev = Array(file[(off - tagLength)..<off])
      expected += 1
      tail += 1
    }
    return tail
  }

  /// The error for a record whose sequence number is not the expected one: its number
  /// was edited, records were reordered, deleted or inserted.
  private static func misplaced(
    _ file: UnsafeRawBufferPointer, at off: Int, found: UInt64, expected: UInt64, prev: [UInt8],
    open: (Int, Int, UInt64, [UInt8]) -> [UInt8]?
  ) -> VaultError {
    let len = Int(UInt32(littleEndian: file.loadUnaligned(fromByteOffset: off, as: UInt32.self)))
    if var plain = open(off, len, expected, prev) {
      Sodium.wipe(&plain)
      return tampered(expected, "record \(expected) has had its sequence number changed to \(found)")
    }
    // Every number below `expected` was seen already: this one is a copy.
    if found < expected {
      return tampered(
        expected, "record \(found) appears again where record \(expected) should be (a record was inserted or copied)")
    }
    // Is the expected record further on? Then the records were reordered.
    var at = off
    while at + recordPrefixLength <= file.count {
      let n = Int(UInt32(littleEndian: file.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
      guard n >= minSealedLength, n <= maxSealedLength, at + recordPrefixLength + n <= file.count else { break }
      if UInt64(littleEndian: file.loadUnaligned(fromByteOffset: at + 4, as: UInt64.self)) == expected {
        return tampered(
          expected, "records are out of order: record \(found) is stored where record \(expected) should be")
      }
      at += recordPrefixLength + n
    }
    let which = found == expected + 1 ? "record \(expected) is" : "records \(expected) to \(found - 1) are"
    return tampered(expected, "\(which) missing (deleted): record \(found) follows record \(expected - 1)")
  }

  /// Cheap check that a log file holds the committed log `head` describes: header,
  /// anchor, length and the last committed tag (66 bytes read). Not a verification.
  static func matches(_ path: String, head: Head, vaultID: [UInt8]) -> Bool {
    guard let fd = try? FileIO.openRegularFile(path) else { return false }
    defer { Syscalls.close(fd) }
    return matches(fd: fd, head: head, vaultID: vaultID)
  }

  static func matches(fd: Int32, head: Head, vaultID: [UInt8]) -> Bool {
    var st = stat()
    guard Syscalls.fstat(fd, &st) == 0, UInt64(st.st_size) >= head.end else { return false }
    guard let h = preadExactly(fd, count: headerLength, at: 0),
      (try? h.withUnsafeBytes { try readHeader($0, vaultID: vaultID, firstBad: 0) }).map({
        $0.seq == head.anchorSeq && $0.tag == head.anchorTag
      }) == true
    else { return false }
    if head.end == UInt64(headerLength) { return head.tag == head.anchorTag }
    return preadExactly(fd, count: tagLength, at: Int(head.end) - tagLength) == head.tag
  }

  static func preadExactly(_ fd: Int32, count: Int, at offset: Int) -> [UInt8]? {
    var out = [UInt8](repeating: 0, count: count)
    var done = 0
    while done < count {
      let n = out.withUnsafeMutableBytes {
        Syscalls.pread(fd, $0.baseAddress! + done, count - done, off_t(offset + done))
      }
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { return nil }
      done += n
    }
    return out
  }
}

// The commit mark after the log's committed end, and the rollback check it makes
// possible on every open (docs/FORMAT.md, "Commit mark").
import Sodium

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension AuditLog {
  // MARK: Commit mark (telling a rolled-back vault from an interrupted write)
  //
  // After the vault commit that made `head` durable, a small mark is written right
  // after the head's end (layout: docs/FORMAT.md, "Commit mark"). No record has its
  // length field, so every reader of records stops there, and the next append overwrites it (it
  // truncates to the head's end first). Records after a head's end followed by a mark
  // naming the last of them were committed by a later vault than the one opened: that
  // vault file was put back to an older copy.

  static let markLengthField: UInt32 = 0xFFFF_FFFF
  /// length field 4, seq 8, tag 16, mac 16.
  static let markLength = 44

  static func markMAC(seq: UInt64, tag: [UInt8], vaultID: [UInt8], key: SecureBytes) -> [UInt8] {
    var w = ByteWriter(capacity: 64)
    w.raw(Array("MFAAUDIT commit".utf8))
    w.raw(vaultID)
    w.u64(seq)
    w.raw(tag)
    return Sodium.blake2b(w.bytes, key: key, length: 16)
  }

  static func mark(seq: UInt64, tag: [UInt8], vaultID: [UInt8], key: SecureBytes) -> [UInt8] {
    var w = ByteWriter(capacity: markLength)
    w.u32(markLengthField)
    w.u64(seq)
    w.raw(tag)
    w.raw(markMAC(seq: seq, tag: tag, vaultID: vaultID, key: key))
    return w.bytes
  }

  /// After the vault commit of `head`: writes the mark at the head's end of the file
  /// holding the committed log. Best effort and not fsynced: the vault commit is durable
  /// already; losing the mark (a crash before the page cache reaches the disk) only
  /// loses the ability to tell a rollback to the vault before this commit from an
  /// interrupted write, until the next commit writes a mark covering this one too.
  static func writeMark(vaultPath: String, head: Head, vaultID: [UInt8], key: SecureBytes) {
    let p = currentPath(vaultPath: vaultPath, head: head, vaultID: vaultID)
    let fd = Syscalls.open(p, O_WRONLY | O_CLOEXEC | O_NOFOLLOW)
    guard fd >= 0 else { return }
    defer { Syscalls.close(fd) }
    var st = stat()
    // Only on a file that ends with the committed log (nothing after it).
    guard Syscalls.fstat(fd, &st) == 0, UInt64(st.st_size) == head.end else { return }
    _ = try? Journal.pwriteAll(
      fd, mark(seq: head.seq, tag: head.tag, vaultID: vaultID, key: key), at: Int(head.end), path: p)
  }

  /// On every open: throws `.rolledBack` when the log holds committed records the
  /// vault's head does not know (records chaining from the head's end, then a mark
  /// naming the last of them). Cheap on the normal path: a stat, and a read of the
  /// 44-byte mark when the file ends with one; the tail is only walked (and `key`
  /// derived) when something other than the head's own mark follows the head.
  static func checkRollback(
    vaultPath: String, vaultID: [UInt8], head headOf: () throws -> Head?, key: () throws -> SecureBytes
  ) throws {
    // Without a log file there is nothing to compare, and the head is not read: an open
    // checks no page of the index but the last until a record is asked for.
    var lst = stat()
    guard Syscalls.lstat(path(vaultPath), &lst) == 0 || Syscalls.lstat(nextPath(vaultPath), &lst) == 0 else { return }
    let head = try headOf()
    let p = currentPath(vaultPath: vaultPath, head: head, vaultID: vaultID)
    let fd = Syscalls.open(p, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
    guard fd >= 0 else { return }  // a missing log is for writers and `audit verify` to report
    defer { Syscalls.close(fd) }
    var st = stat()
    guard Syscalls.fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return }
    let size = Int(st.st_size)
    let end = head.map { Int($0.end) } ?? headerLength
    let headSeq = head?.seq ?? 0
    let headTag = head?.tag ?? zeroTag
    guard size > end else { return }
    if size - end == markLength, let m = preadExactly(fd, count: markLength, at: end) {
      let isHeadsMark = m.withUnsafeBytes { b -> Bool in
        UInt32(littleEndian: b.loadUnaligned(as: UInt32.self)) == markLengthField
          && UInt64(littleEndian: b.loadUnaligned(fromByteOffset: 4, as: UInt64.self)) == headSeq
      }
      if isHeadsMark && Array(m[12..<28]) == headTag { return }  // the normal case
    }
    // Something else follows the head: records of an interrupted write, or of commits
    // this vault does not know. Walk them (this path only runs after a crash or a rollback).
    let map = try MappedFile(path: p)
    let file = map.bytes
    guard file.count >= headerLength, file.count > end else { return }
    if head == nil {
      guard let anchor = try? readHeader(file, vaultID: vaultID, firstBad: 1), anchor.seq == 0,
        anchor.tag == zeroTag
      else { return }
    } else if !matches(fd: fd, head: head!, vaultID: vaultID) {
      return  // not the committed log: writers and `audit verify` name the damage
    }
    let k = try key()
    var off = end
    var expected = headSeq + 1
    var prev = headTag
    func u32(_ at: Int) -> UInt32 { UInt32(littleEndian: file.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
    func u64(_ at: Int) -> UInt64 { UInt64(littleEndian: file.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
    while off + recordPrefixLength <= file.count {
      let len = Int(u32(off))
      guard len >= minSealedLength, len <= maxSealedLength, off + recordPrefixLength + len <= file.count,
        u64(off + 4) == expected
      else { break }
      let sealed = UnsafeRawBufferPointer(rebasing: file[(off + recordPrefixLength)..<(off + recordPrefixLength + len)])
      guard
        var plain = try? Sodium.open(
          sealed, additionalData: associatedData(vaultID: vaultID, seq: expected, prevTag: prev), key: k)
      else { break }
      Sodium.wipe(&plain)
      off += recordPrefixLength + len
      prev = Array(file[(off - tagLength)..<off])
      expected += 1
    }
    let committedAfter = Int(expected - 1 - headSeq)
    guard committedAfter > 0, off + markLength <= file.count, u32(off) == markLengthField, u64(off + 4) == expected - 1,
      Array(file[(off + 12)..<(off + 28)]) == prev,
      Sodium.constantTimeEqual(
        Array(file[(off + 28)..<(off + 44)]), markMAC(seq: expected - 1, tag: prev, vaultID: vaultID, key: k))
    else { return }  // an interrupted write: reported by readers, dropped by the next write
    throw VaultError.rolledBack(vaultSeq: headSeq, logSeq: expected - 1)
  }

}

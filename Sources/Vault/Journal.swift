// The journal of writes in place: shared parts, and the version 1 journal
// (`MFAJRNL1`) that an mfactl before vault format 3 left, recovered as it was
// (docs/FORMAT.md, "Version history"). The version 2 journal this build writes, one
// fsync per commit, is in JournalEntries.swift.
//
// A version 1 journal held one write: the patches, the old and new index MAC, a MAC
// under K_journal. Its writer fsynced it, patched the vault, fsynced the vault and
// truncated the journal. It is only applied to a vault in that write's lineage (index
// MAC the old or the new one) and only when the patched bytes authenticate under
// exactly the journal's new MAC, so it can never turn a vault into anything but the
// state the writer committed.
import Sodium

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

enum Journal {
  struct Region: Equatable {
    var offset: Int
    var bytes: [UInt8]
  }

  struct Plan: Equatable {
    var oldMAC: [UInt8]
    var newMAC: [UInt8]
    var regions: [Region]
  }

  static let version1Magic: [UInt8] = Array("MFAJRNL1".utf8)
  static let maxLength = 64 << 20

  static func path(_ vaultPath: String) -> String { vaultPath + ".journal" }

  /// One stat(2): the common case is an empty or missing journal.
  static func hasContent(vaultPath: String) -> Bool {
    var st = stat()
    return Syscalls.stat(path(vaultPath), &st) == 0 && st.st_size > 0
  }

  /// Empties the journal. Not fsynced: if the truncation is lost in a crash, the
  /// journal is stale and recognised as such (the vault authenticates without it).
  static func clear(vaultPath: String) {
    let p = path(vaultPath)
    if hasContent(vaultPath: vaultPath) { Syscalls.truncate(p, 0) }
  }

  static func encode(_ plan: Plan, vaultID: [UInt8], key: SecureBytes) -> [UInt8] {
    var w = ByteWriter(capacity: 128 + plan.regions.reduce(0) { $0 + 12 + $1.bytes.count })
    w.raw(version1Magic)
    w.raw(vaultID)
    w.raw(plan.oldMAC)
    w.raw(plan.newMAC)
    w.u32(UInt32(plan.regions.count))
    for r in plan.regions {
      w.u64(UInt64(r.offset))
      w.data(r.bytes)
    }
    let mac = Sodium.blake2b(w.bytes, key: key, length: 32)
    w.raw(mac)
    return w.bytes
  }

  /// The plan in a journal, or nil when it is torn, foreign or not authentic.
  static func decode(_ bytes: [UInt8], vaultID: [UInt8], key: SecureBytes) -> Plan? {
    guard bytes.count >= 8 + 16 + 32 + 32 + 4 + 32, Array(bytes[0..<8]) == version1Magic else { return nil }
    let body = Array(bytes[0..<(bytes.count - 32)])
    guard Sodium.constantTimeEqual(Sodium.blake2b(body, key: key, length: 32), Array(bytes[(bytes.count - 32)...]))
    else {
      return nil
    }
    return body.withUnsafeBytes { raw -> Plan? in
      var r = ByteReader(raw, offset: 8)
      guard let id = try? r.raw(16), id == vaultID, let old = try? r.raw(32), let new = try? r.raw(32),
        let n = try? r.u32()
      else { return nil }
      var regions: [Region] = []
      for _ in 0..<n {
        guard let off = try? r.u64(), let data = try? r.data(limit: maxLength), off < UInt64(Int.max / 2) else {
          return nil
        }
        regions.append(Region(offset: Int(off), bytes: data))
      }
      guard r.isAtEnd else { return nil }
      return Plan(oldMAC: old, newMAC: new, regions: regions)
    }
  }

  /// A version 1 journal (`MFAJRNL1`, one write, left by an mfactl before format 3),
  /// recovered as that version did, holding the exclusive lock. Returns true when it
  /// changed the vault (the caller maps it again).
  static func recoverVersion1(
    _ bytes: [UInt8], vaultPath: String, map: MappedFile, headerLength: Int, macKey: SecureBytes,
    journalKey: SecureBytes, vaultID: [UInt8]
  ) throws -> Bool {
    guard let plan = decode(bytes, vaultID: vaultID, key: journalKey) else {
      // Torn while being written (the vault was not touched yet), or not ours.
      clear(vaultPath: vaultPath)
      return false
    }
    let file = map.bytes
    let soundAsItIs = indexAuthenticates(file, headerLength: headerLength, macKey: macKey)
    func giveUp() -> Bool {
      // Not this vault's pending write. Drop it when the vault is sound; keep it for
      // inspection when the vault is damaged too (the caller reports the damage).
      if soundAsItIs { clear(vaultPath: vaultPath) }
      return false
    }
    guard plan.regions.allSatisfy({ $0.offset + $0.bytes.count <= file.count }) else { return giveUp() }
    if plan.regions.allSatisfy({ Array(file[$0.offset..<($0.offset + $0.bytes.count)]) == $0.bytes }) {
      clear(vaultPath: vaultPath)  // applied completely before the crash
      return false
    }
    // The vault must be in this write's lineage (its index MAC the old or the new one)
    // and, with the patches, authenticate under exactly the new MAC: then rolling
    // forward gives the state the writer committed to the journal.
    guard let macAt = macOffset(file, headerLength: headerLength) else { return giveUp() }
    let current = Array(file[macAt..<(macAt + 32)])
    guard current == plan.oldMAC || current == plan.newMAC else { return giveUp() }
    var patched = Array(file)
    for r in plan.regions { patched.replaceSubrange(r.offset..<(r.offset + r.bytes.count), with: r.bytes) }
    let repaired = patched.withUnsafeBytes { indexAuthenticates($0, headerLength: headerLength, macKey: macKey) }
    guard repaired, macOffset(patched, headerLength: headerLength) == macAt,
      Array(patched[macAt..<(macAt + 32)]) == plan.newMAC
    else { return giveUp() }
    let vfd = Syscalls.open(vaultPath, O_WRONLY | O_CLOEXEC)
    guard vfd >= 0 else { throw VaultError.io(FileIO.errnoText("cannot open", vaultPath)) }
    defer { Syscalls.close(vfd) }
    for r in plan.regions { try pwriteAll(vfd, r.bytes, at: r.offset, path: vaultPath) }
    guard Syscalls.fsync(vfd) == 0 else { throw VaultError.io(FileIO.errnoText("cannot sync", vaultPath)) }
    clear(vaultPath: vaultPath)
    return true
  }

  /// Where the index root MAC is.
  static func macOffset<C: Collection>(_ bytes: C, headerLength: Int) -> Int? where C.Index == Int, C.Element == UInt8 {
    IndexLayout(bytes, headerLength: headerLength)?.rootAt
  }

  static func indexAuthenticates(_ bytes: UnsafeRawBufferPointer, headerLength: Int, macKey: SecureBytes) -> Bool {
    guard let layout = IndexLayout(bytes, headerLength: headerLength) else { return false }
    return layout.rootAuthenticates(key: macKey, bytes: bytes)
  }

  static func pwriteAll(_ fd: Int32, _ bytes: [UInt8], at offset: Int, path: String) throws {
    var done = 0
    while done < bytes.count {
      let n = bytes.withUnsafeBytes {
        Syscalls.pwrite(fd, $0.baseAddress! + done, bytes.count - done, off_t(offset + done))
      }
      if n < 0 {
        if errno == EINTR { continue }
        throw VaultError.io(FileIO.errnoText("cannot write", path))
      }
      done += n
    }
  }
}

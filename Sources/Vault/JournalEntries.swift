// The version 2 journal: one fsync per write in place (docs/FORMAT.md, "Writing in
// place").
//
// A write in place (a verify, any commit whose changes keep their sealed lengths) puts
// everything it changes in one entry appended to `<vault>.journal`: the vault patches
// and the sealed audit records with the commit mark. The journal's fsync is the commit
// point and the only sync: the entry is then written into the vault and the log
// without one. Entries accumulate; a checkpoint (fsync the log, fsync the vault, empty
// the journal) runs when the journal holds 32 entries or 64 KiB, and before any
// whole-file write, log rewrite or rekey. Entries are chained by their MACs, so none
// can be dropped from the middle, reordered or spliced in from another journal.
//
// Every open with a non-empty journal checks that each entry is in the vault and the
// log (they are after any kill: the page cache is the disk then). When not (a power cut
// lost unsynced writes, or a crash came before they were made), the opener replays the
// authentic entries, in order, onto the vault in their lineage, syncs, and empties the
// journal. Whatever subset of the lazy writes reached the disk, the result is the
// state after the last entry.
import Sodium

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension Journal {
  static let magic: [UInt8] = Array("MFAJRNL2".utf8)
  /// magic 8, vault id 16.
  static let fileHeaderLength = 24
  /// A checkpoint runs before an entry is appended to a journal holding this many
  /// entries or bytes.
  static let checkpointEntries = 32
  static let checkpointLength = 64 << 10
  static let zeroMAC = [UInt8](repeating: 0, count: 32)

  /// Bytes written into the audit log at `offset`, after which the file ends; and how
  /// long the file was before (it may hold the last commit's mark or an uncommitted
  /// tail after `offset`).
  struct LogWrite: Equatable {
    var offset: Int
    var bytes: [UInt8]
    var previousLength: Int
  }

  /// One commit: the vault patches (with the index MAC before and after) and what it
  /// appends to the log (nil: nothing).
  struct Entry: Equatable {
    var plan: Plan
    var log: LogWrite?
  }

  /// Where a journal's entries end, how many there are, and the last one's MAC (the
  /// next entry chains from it): what a writer needs to append.
  struct Tail {
    var entries: Int
    var end: Int
    var lastMAC: [UInt8]
  }

  /// A journal's authentic entries, in order: where they end, and the last one's MAC.
  struct Chain {
    var entries: [Entry]
    var end: Int
    var fileLength: Int
    var lastMAC: [UInt8]
  }

  // MARK: Encoding

  static func encode(_ entry: Entry, previousMAC: [UInt8], key: SecureBytes) -> [UInt8] {
    let log = entry.log ?? LogWrite(offset: 0, bytes: [], previousLength: 0)
    var w = ByteWriter(capacity: 128 + log.bytes.count + entry.plan.regions.reduce(0) { $0 + 12 + $1.bytes.count })
    w.u32(0)  // length, patched below
    w.u32(UInt32(entry.plan.regions.count))
    for r in entry.plan.regions {
      w.u64(UInt64(r.offset))
      w.data(r.bytes)
    }
    w.u64(UInt64(log.offset))
    w.u64(UInt64(log.previousLength))
    w.data(log.bytes)
    w.raw(entry.plan.oldMAC)
    w.raw(entry.plan.newMAC)
    w.patchU32(at: 0, UInt32(w.bytes.count + 32 - 4))
    let mac = Sodium.Blake2bState(key: key, length: 32)
    mac.update(previousMAC)
    mac.update(w.bytes)
    w.raw(mac.finish())
    return w.bytes
  }

  /// The authentic entries of a version 2 journal of this vault, up to the first torn,
  /// malformed or inauthentic one; nil when the file is not such a journal.
  static func readChain(_ bytes: [UInt8], vaultID: [UInt8], key: SecureBytes) -> Chain? {
    guard bytes.count >= fileHeaderLength, Array(bytes[0..<8]) == magic, Array(bytes[8..<24]) == vaultID else {
      return nil
    }
    var chain = Chain(entries: [], end: fileHeaderLength, fileLength: bytes.count, lastMAC: zeroMAC)
    bytes.withUnsafeBytes { raw in
      while chain.end + 4 <= raw.count {
        let length = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: chain.end, as: UInt32.self)))
        let next = chain.end + 4 + length
        guard length >= 4 + 20 + 96, next <= raw.count else { return }
        let body = UnsafeRawBufferPointer(rebasing: raw[chain.end..<(next - 32)])
        let mac = Sodium.Blake2bState(key: key, length: 32)
        mac.update(chain.lastMAC)
        mac.update(body)
        let stored = Array(raw[(next - 32)..<next])
        guard Sodium.constantTimeEqual(mac.finish(), stored), let entry = decodeEntry(body) else { return }
        chain.entries.append(entry)
        chain.end = next
        chain.lastMAC = stored
      }
    }
    return chain
  }

  /// An entry's fields (after its MAC was checked); nil when malformed.
  private static func decodeEntry(_ body: UnsafeRawBufferPointer) -> Entry? {
    var r = ByteReader(body, offset: 4)
    guard let n = try? r.u32() else { return nil }
    var regions: [Region] = []
    for _ in 0..<n {
      guard let off = try? r.u64(), off < UInt64(Int.max / 2), let data = try? r.data(limit: maxLength) else {
        return nil
      }
      regions.append(Region(offset: Int(off), bytes: data))
    }
    guard let logOffset = try? r.u64(), logOffset < UInt64(Int.max / 2), let previous = try? r.u64(),
      previous < UInt64(Int.max / 2), let logBytes = try? r.data(limit: maxLength), let old = try? r.raw(32),
      let new = try? r.raw(32), r.isAtEnd
    else { return nil }
    let log =
      logBytes.isEmpty ? nil : LogWrite(offset: Int(logOffset), bytes: logBytes, previousLength: Int(previous))
    return Entry(plan: Plan(oldMAC: old, newMAC: new, regions: regions), log: log)
  }

  // MARK: The state the entries lead to

  /// What the vault and the log hold once every entry is applied in order: the last
  /// bytes written at each vault region, and the log from the first entry's offset on.
  struct Target {
    var regions: [Region] = []
    /// The log from the first write's offset on (its `previousLength` the first's).
    var log: LogWrite? = nil
    /// Each entry's own log write, in order.
    var logWrites: [LogWrite] = []

    /// Nil when the entries do not compose (regions that overlap without coinciding, a
    /// log write past the end of the one before): not what a writer makes.
    init?(_ entries: [Entry]) {
      for e in entries {
        for r in e.plan.regions {
          // A linear search: a few distinct regions (one record, its tag, a page MAC,
          // the root MAC), and no hashed generic type on the open path (the first use
          // of one costs a scan of the binary's conformances: bench/README.md).
          let end = r.offset + r.bytes.count
          var placed = false
          for i in regions.indices
          where regions[i].offset < end && r.offset < regions[i].offset + regions[i].bytes.count {
            guard regions[i].offset == r.offset, regions[i].bytes.count == r.bytes.count else { return nil }
            regions[i].bytes = r.bytes
            placed = true
          }
          if !placed { regions.append(r) }
        }
        guard let w = e.log else { continue }
        logWrites.append(w)
        guard var current = log else {
          log = w
          continue
        }
        let keep = w.offset - current.offset
        guard keep >= 0, keep <= current.bytes.count else { return nil }
        current.bytes.removeLast(current.bytes.count - keep)
        current.bytes += w.bytes
        log = current
      }
    }

    /// Whether the log is as a crash or a power cut can leave it while these entries
    /// were written: untouched (its length before the first write, or cut back to the
    /// first write's offset: the last commit's mark not synced), or ending right after
    /// one entry's write, with everything before it as the entries before left it.
    /// Anything else (a record edited, removed or inserted, the file cut elsewhere) is
    /// damage that rolling forward would paper over: the log is then left as it is,
    /// for readers to report.
    func logMayRollForward(_ fd: Int32) -> Bool {
      guard let log = log else { return true }
      var st = stat()
      guard Syscalls.fstat(fd, &st) == 0 else { return false }
      let size = Int(st.st_size)
      if size == log.offset || size == log.previousLength { return true }
      guard let w = logWrites.last(where: { $0.offset + $0.bytes.count == size }), w.offset >= log.offset,
        let got = AuditLog.preadExactly(fd, count: size - log.offset, at: log.offset)
      else { return false }
      let before = w.offset - log.offset
      return got[0..<before].elementsEqual(log.bytes[0..<before]) && got[before...].elementsEqual(w.bytes)
    }

    /// Whether the vault (`file`, as mapped) and the log hold this state already.
    func isApplied(_ file: UnsafeRawBufferPointer, vaultPath: String) -> Bool {
      for r in regions {
        guard r.offset + r.bytes.count <= file.count,
          r.bytes.withUnsafeBytes({ memcmp(file.baseAddress! + r.offset, $0.baseAddress!, r.bytes.count) }) == 0
        else { return false }
      }
      guard let log = log else { return true }
      let p = AuditLog.path(vaultPath)
      let fd = Syscalls.open(p, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
      guard fd >= 0 else { return false }
      defer { Syscalls.close(fd) }
      var st = stat()
      guard Syscalls.fstat(fd, &st) == 0, Int(st.st_size) == log.offset + log.bytes.count else { return false }
      return AuditLog.preadExactly(fd, count: log.bytes.count, at: log.offset) == log.bytes
    }
  }

  // MARK: Opening

  /// At open, when the journal has content: where its entries end when it is this
  /// vault's version 2 journal, whole, and every entry is in the vault and the log
  /// (nothing to do: the normal case); nil when the opener must recover.
  ///
  /// On the path of every verify, so it allocates little and checks no MAC: it reads
  /// the entries in place, from the last to the first, and compares each patch that no
  /// later entry overwrote with the mapped vault, and each log write up to where a
  /// later one starts with the log (one pread). Nothing it finds is acted on without
  /// recovery, which checks the MAC chain. (A writer appends after the last entry's
  /// stored MAC; a journal damaged in the middle would lose the entries after the
  /// damage to a power cut before the next checkpoint.)
  static func appliedTail(vaultPath: String, file: UnsafeRawBufferPointer, vaultID: [UInt8]) -> Tail? {
    guard let bytes = try? FileIO.readSmallFile(path(vaultPath), limit: maxLength), bytes.count > fileHeaderLength,
      Array(bytes[0..<8]) == magic, Array(bytes[8..<24]) == vaultID
    else { return nil }
    return bytes.withUnsafeBytes { j -> Tail? in
      func u32(_ at: Int) -> Int { Int(UInt32(littleEndian: j.loadUnaligned(fromByteOffset: at, as: UInt32.self))) }
      // Offsets clamped to 2^62, so that no sum below can overflow (a real one is far
      // smaller; a clamped one fails its compare).
      func u64(_ at: Int) -> Int {
        Int(min(UInt64(littleEndian: j.loadUnaligned(fromByteOffset: at, as: UInt64.self)), 1 << 62))
      }
      // Entry starts; and where each entry's log fields are.
      var starts: [Int] = []
      var logFields: [Int] = []
      var at = fileHeaderLength
      while at < j.count {
        guard at + 4 <= j.count else { return nil }
        let next = at + 4 + u32(at)
        guard next - at >= 4 + 4 + 20 + 96, next <= j.count else { return nil }
        var r = at + 8
        for _ in 0..<u32(at + 4) {
          guard r + 12 <= next - 96 else { return nil }
          r += 12 + u32(r + 8)
        }
        guard r + 20 <= next - 96, r + 20 + u32(r + 16) == next - 96 else { return nil }
        starts.append(at)
        logFields.append(r)
        at = next
      }
      // The log from the first write's offset to the last write's end, as it is.
      var base = Int.max
      var logEnd = -1
      for r in logFields where u32(r + 16) > 0 {
        base = min(base, u64(r))
        logEnd = u64(r) + u32(r + 16)
      }
      var log: [UInt8] = []
      if logEnd >= 0 {
        guard base <= logEnd, logEnd - base <= maxLength else { return nil }
        let p = AuditLog.path(vaultPath)
        let fd = Syscalls.open(p, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return nil }
        defer { Syscalls.close(fd) }
        var st = stat()
        guard Syscalls.fstat(fd, &st) == 0, Int(st.st_size) == logEnd,
          let b = AuditLog.preadExactly(fd, count: logEnd - base, at: base)
        else { return nil }
        log = b
      }
      // Last entry first: what a later entry wrote is compared for that entry only.
      var written: [Int] = []  // vault offsets written by later entries
      var logLimit = Int.max
      for (start, r) in zip(starts, logFields).reversed() {
        var p = start + 8
        while p < r {
          let offset = u64(p)
          let length = u32(p + 8)
          if !written.contains(offset) {
            guard offset <= file.count - length,
              memcmp(file.baseAddress! + offset, j.baseAddress! + p + 12, length) == 0
            else { return nil }
            written.append(offset)
          }
          p += 12 + length
        }
        let length = u32(r + 16)
        guard length > 0 else { continue }
        let offset = u64(r)
        let upTo = min(offset + length, logLimit)
        if upTo > offset {
          let same = log.withUnsafeBytes {
            memcmp($0.baseAddress! + (offset - base), j.baseAddress! + r + 20, upTo - offset)
          }
          guard same == 0 else { return nil }
        }
        logLimit = min(logLimit, offset)
      }
      return Tail(entries: starts.count, end: j.count, lastMAC: Array(j[(j.count - 32)..<j.count]))
    }
  }

  /// Called at open when the journal is not known to be applied, holding the exclusive
  /// lock. Returns true when it changed the vault (the caller maps it again).
  static func recover(
    vaultPath: String, map: MappedFile, headerLength: Int, macKey: SecureBytes, journalKey: SecureBytes,
    vaultID: [UInt8]
  ) throws -> Bool {
    guard let bytes = try? FileIO.readSmallFile(path(vaultPath), limit: maxLength) else {
      clear(vaultPath: vaultPath)
      return false
    }
    if bytes.starts(with: version1Magic) {
      return try recoverVersion1(
        bytes, vaultPath: vaultPath, map: map, headerLength: headerLength, macKey: macKey, journalKey: journalKey,
        vaultID: vaultID)
    }
    guard let chain = readChain(bytes, vaultID: vaultID, key: journalKey), !chain.entries.isEmpty else {
      // Torn while its first entry was written (never acknowledged), or not ours.
      clear(vaultPath: vaultPath)
      return false
    }
    let file = map.bytes
    let soundAsItIs = indexAuthenticates(file, headerLength: headerLength, macKey: macKey)
    func giveUp() -> Bool {
      // Not this vault's pending writes (a whole-file write or a restore replaced the
      // vault after them). Drop them when the vault is sound; keep them for inspection
      // when the vault is damaged too (the caller reports the damage).
      if soundAsItIs { clear(vaultPath: vaultPath) }
      return false
    }
    guard let target = Target(chain.entries) else { return giveUp() }
    if target.isApplied(file, vaultPath: vaultPath) {
      // Applied (by another process since this one looked, or only a torn last entry,
      // never acknowledged, follows): make it durable, and start afresh.
      try checkpoint(vaultPath: vaultPath)
      return false
    }
    // The vault must be in the entries' lineage (its index MAC one they start from or
    // lead to) and, with every patch, authenticate under exactly the last entry's new
    // MAC: then rolling forward gives the state the last writer committed, whichever
    // of the unsynced writes reached the disk.
    guard let macAt = macOffset(file, headerLength: headerLength) else { return giveUp() }
    let current = Array(file[macAt..<(macAt + 32)])
    let entries = chain.entries
    let lineage = [entries[0].plan.oldMAC] + entries.map(\.plan.newMAC)
    guard lineage.contains(current), zip(entries, entries.dropFirst()).allSatisfy({ $0.plan.newMAC == $1.plan.oldMAC }),
      target.regions.allSatisfy({ $0.offset + $0.bytes.count <= file.count })
    else { return giveUp() }
    var patched = Array(file)
    for r in target.regions { patched.replaceSubrange(r.offset..<(r.offset + r.bytes.count), with: r.bytes) }
    let repaired = patched.withUnsafeBytes { indexAuthenticates($0, headerLength: headerLength, macKey: macKey) }
    guard repaired, macOffset(patched, headerLength: headerLength) == macAt,
      Array(patched[macAt..<(macAt + 32)]) == entries.last!.plan.newMAC
    else { return giveUp() }

    let vfd = Syscalls.open(vaultPath, O_WRONLY | O_CLOEXEC)
    guard vfd >= 0 else { throw VaultError.io(FileIO.errnoText("cannot open", vaultPath)) }
    defer { Syscalls.close(vfd) }
    for r in target.regions { try pwriteAll(vfd, r.bytes, at: r.offset, path: vaultPath) }
    guard Syscalls.fsync(vfd) == 0 else { throw VaultError.io(FileIO.errnoText("cannot sync", vaultPath)) }
    if let log = target.log {
      let p = AuditLog.path(vaultPath)
      let fd = Syscalls.open(p, O_RDWR | O_CLOEXEC | O_NOFOLLOW)
      if fd >= 0 {
        defer { Syscalls.close(fd) }
        if target.logMayRollForward(fd) {
          guard Syscalls.ftruncate(fd, off_t(log.offset)) == 0 else {
            throw VaultError.io(FileIO.errnoText("cannot truncate", p))
          }
          try pwriteAll(fd, log.bytes, at: log.offset, path: p)
          guard Syscalls.fsync(fd) == 0 else { throw VaultError.io(FileIO.errnoText("cannot sync", p)) }
        }
      }
    }
    clear(vaultPath: vaultPath)
    return true
  }

  // MARK: Writing

  /// The commit point of a write in place: `entry` appended to the journal (`tail`,
  /// as the open found it; nil when empty) and fsynced, after a checkpoint when the
  /// journal is full. On failure the journal is cut back to what it held.
  static func append(_ entry: Entry, to tail: Tail?, vaultPath: String, vaultID: [UInt8], key: SecureBytes) throws {
    var tail = tail
    if let t = tail, t.entries >= checkpointEntries || t.end >= checkpointLength {
      try checkpoint(vaultPath: vaultPath)
      tail = nil
    }
    let jp = path(vaultPath)
    let existed = FileIO.exists(jp)
    let at = tail?.end ?? 0
    var bytes = tail == nil ? magic + vaultID : []
    bytes += encode(entry, previousMAC: tail?.lastMAC ?? zeroMAC, key: key)
    let fd = Syscalls.open(jp, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
    guard fd >= 0 else { throw VaultError.io(FileIO.errnoText("cannot open journal", jp)) }
    do {
      try pwriteAll(fd, bytes, at: at, path: jp)
      guard Syscalls.ftruncate(fd, off_t(at + bytes.count)) == 0, Syscalls.fsync(fd) == 0 else {
        throw VaultError.io(FileIO.errnoText("cannot write journal", jp))
      }
      Syscalls.close(fd)
    } catch {
      _ = Syscalls.ftruncate(fd, off_t(at))
      Syscalls.close(fd)
      throw error
    }
    if !existed { try FileIO.syncDirectory(of: jp) }
  }

  /// After the commit point: the entry written into the vault and the log, without a
  /// sync. Errors end it quietly: the entry is committed, and the next open, finding it
  /// not applied, applies it.
  static func applyLazily(_ entry: Entry, vaultPath: String) {
    let vfd = Syscalls.open(vaultPath, O_WRONLY | O_CLOEXEC)
    guard vfd >= 0 else { return }
    defer { Syscalls.close(vfd) }
    for r in entry.plan.regions {
      guard (try? pwriteAll(vfd, r.bytes, at: r.offset, path: vaultPath)) != nil else { return }
    }
    guard let log = entry.log else { return }
    let p = AuditLog.path(vaultPath)
    let fd = Syscalls.open(p, O_WRONLY | O_CLOEXEC | O_NOFOLLOW)
    guard fd >= 0 else { return }
    defer { Syscalls.close(fd) }
    // Write, then cut: a crash in between leaves the entry's bytes complete, a state
    // recovery recognises (`Target.logMayRollForward`).
    guard (try? pwriteAll(fd, log.bytes, at: log.offset, path: p)) != nil else { return }
    _ = Syscalls.ftruncate(fd, off_t(log.offset + log.bytes.count))
  }

  /// Makes every entry durable where it belongs, then empties the journal: fsync the
  /// log, fsync the vault, truncate (not synced: entries replayed onto the state they
  /// produced change nothing). The caller holds the exclusive lock, and the open found
  /// every entry applied.
  static func checkpoint(vaultPath: String) throws {
    guard hasContent(vaultPath: vaultPath) else { return }
    try syncLog(vaultPath: vaultPath)
    try sync(vaultPath)
    clear(vaultPath: vaultPath)
  }

  /// Before the vault is replaced by a whole new file while entries are pending: the
  /// new file is written from the vault as mapped (every entry in it), but the head it
  /// holds names log bytes that must be durable first. The journal is emptied after
  /// the rename (until then it still completes the old vault).
  static func syncLog(vaultPath: String) throws {
    guard hasContent(vaultPath: vaultPath), FileIO.exists(AuditLog.path(vaultPath)) else { return }
    try sync(AuditLog.path(vaultPath))
  }

  private static func sync(_ p: String) throws {
    let fd = Syscalls.open(p, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
    guard fd >= 0 else { throw VaultError.io(FileIO.errnoText("cannot open", p)) }
    defer { Syscalls.close(fd) }
    guard Syscalls.fsync(fd) == 0 else { throw VaultError.io(FileIO.errnoText("cannot sync", p)) }
  }
}

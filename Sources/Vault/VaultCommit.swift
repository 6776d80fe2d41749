// Writing the staged changes: in place through the journal (JournalEntries.swift) when
// every change keeps its sealed length, else a whole new file renamed over the old one
// (docs/FORMAT.md, "Writing").
import Sodium

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension VaultFile {
  static func headerWithChecksum(_ header: VaultHeader) -> [UInt8] {
    let h = header.encode()
    return h + Sodium.blake2b(h, length: 32)
  }

  /// Writes the staged changes atomically (temp file, fsync, rename, fsync directory),
  /// then releases the lock: a committed VaultFile must not be used again.
  /// Unchanged records are copied as they are, so a write costs one seal per changed
  /// record plus a sequential copy. Requires the exclusive lock.
  public func commit() throws {
    guard hasChanges else { return }
    precondition(!stale, "vault committed twice")
    precondition(lock.mode == .exclusive, "commit needs the exclusive lock")
    // An older format is upgraded by the first write (docs/FORMAT.md, "Version
    // history"): the header says the version this build writes.
    if header.version < VaultFormat.version {
      header.version = VaultFormat.version
      headerChanged = true
    }
    defer {
      // The map still shows the old bytes: this object is done, and so is the
      // critical section.
      changes.removeAll()
      headerChanged = false
      for i in auditAppends.indices { Sodium.wipe(&auditAppends[i]) }
      auditAppends.removeAll()
      auditRewrite?.wipe()
      auditRewrite = nil
      stale = true
      lock.release()
    }
    // Refuse to write over a vault replaced behind the lock's back (by a tool that did
    // not take the lock): we would silently drop its change.
    var st = stat()
    guard Syscalls.stat(path, &st) == 0, UInt64(st.st_dev) == map.device, UInt64(st.st_ino) == map.inode else {
      throw VaultError.io("\(path) was replaced by another program while mfactl held the lock; nothing written")
    }

    // The audit records are sealed first and the new head staged with the vault's
    // changes (docs/FORMAT.md, "Audit log"). A prune or a rekey rewrites the log
    // instead, after a checkpoint: the journal's entries name offsets of the old log.
    var auditRenamePending = false
    var sealedAudit: AuditLog.SealedAppend? = nil
    if auditRewrite != nil || rekeyDropsOld {
      try Journal.checkpoint(vaultPath: path)
      if !auditAppends.isEmpty || auditRewrite != nil { auditRenamePending = try writeAudit() }
    } else if !auditAppends.isEmpty {
      sealedAudit = try sealAudit()
    }
    func finishAudit(markWritten: Bool) {
      if auditRenamePending { AuditLog.finish(vaultPath: path) }
      // The vault commit is durable: mark the log's new head as committed.
      if !markWritten, marksCommits, let head = stagedAuditHead, let key = try? subkey(.audit) {
        AuditLog.writeMark(vaultPath: path, head: head, vaultID: header.vaultID, key: key)
      }
    }

    // In place: one journal entry holds the patches and the sealed records with their
    // commit mark; its fsync is the commit point and the only sync (JournalEntries.swift).
    if let plan = try inPlacePlan(), sealedAudit.map({ $0.fileExists && $0.offset > 0 }) ?? true {
      var log: Journal.LogWrite? = nil
      if let s = sealedAudit {
        var bytes = s.bytes
        if marksCommits {
          bytes += AuditLog.mark(seq: s.head.seq, tag: s.head.tag, vaultID: header.vaultID, key: try subkey(.audit))
        }
        log = Journal.LogWrite(offset: s.offset, bytes: bytes, previousLength: s.fileLength)
      }
      let entry = Journal.Entry(plan: plan, log: log)
      try Journal.append(entry, to: journalTail, vaultPath: path, vaultID: header.vaultID, key: journalKey)
      Journal.applyLazily(entry, vaultPath: path)
      finishAudit(markWritten: log != nil)
      return
    }

    // A whole new file. The log first: durable before the head that commits it, with
    // the bytes of pending journal entries (the journal itself is emptied after the
    // rename: until then it still completes the old vault).
    if let s = sealedAudit {
      try AuditLog.write(s, vaultPath: path)
    } else {
      try Journal.syncLog(vaultPath: path)
    }

    // The new file is the old one with a few entries replaced, inserted or removed:
    // runs of old index entries and old records are copied whole, and only the
    // changed records are sealed. Each changed id is placed by binary search, so the
    // work per write is O(k log n) plus the copying.
    enum Piece {
      case old(from: Int, to: Int)  // old index positions [from, to)
      case new(id: [UInt8], sealed: [UInt8])
    }
    var pieces: [Piece] = []
    var position = 0
    // Hex of fixed-length ids sorts as the ids do.
    for (_, change) in changes.sorted(by: { $0.key < $1.key }) {
      let id = change.id
      var sealed: [UInt8]? = nil
      if let value = change.value { sealed = sealRecord(id: id, key: change.key, value: value) }
      if rekeyDropsOld {
        if let sealed = sealed { pieces.append(.new(id: id, sealed: sealed)) }
        continue
      }
      let (at, found) = try lowerBound(id)
      if at > position { pieces.append(.old(from: position, to: at)) }
      if let sealed = sealed { pieces.append(.new(id: id, sealed: sealed)) }
      position = found ? at + 1 : at
    }
    if !rekeyDropsOld && position < count { pieces.append(.old(from: position, to: count)) }

    var newCount = 0
    for p in pieces {
      switch p {
      case .old(let from, let to): newCount += to - from
      case .new: newCount += 1
      }
    }
    guard newCount <= VaultFormat.maxRecords else { throw VaultError.invalid("too many records") }
    var w = ByteWriter(capacity: newCount * Self.entryLength)
    var runs: [(from: Int, to: Int)] = []  // old record byte ranges, checked
    for p in pieces {
      switch p {
      case .old(let from, let to):
        let a = layout.entryAt(from)
        w.raw(UnsafeRawBufferPointer(rebasing: map.bytes[a..<layout.entryAt(to)]))
        runs.append((try recordOffset(from), try recordOffset(to)))
      case .new(let id, let sealed):
        w.raw(id)
        w.u32(UInt32(sealed.count))
        w.raw(Array(sealed[(sealed.count - 16)...]))
      }
    }
    let prefix = IndexLayout.build(headerAndChecksum: Self.headerWithChecksum(header), entries: w.bytes, key: indexKey)

    try FileIO.replaceAtomically(path) { out in
      try prefix.withUnsafeBytes { try out.write($0) }
      var run = 0
      for p in pieces {
        switch p {
        case .old:
          let r = runs[run]
          run += 1
          try out.copy(from: map, offset: r.from, length: r.to - r.from)
        case .new(_, let sealed):
          try sealed.withUnsafeBytes { try out.write($0) }
        }
      }
    }
    Journal.clear(vaultPath: path)
    finishAudit(markWritten: false)
  }

  /// When every change replaces an existing record by one of the same sealed length
  /// (the common case: a verify updates counters and timestamps), the write can patch
  /// the file in place: each record, its tag in the index and the index MAC. Returns
  /// nil when a whole-file rewrite is needed.
  func inPlacePlan() throws -> Journal.Plan? {
    guard !headerChanged, !rekeyDropsOld else { return nil }
    var patches: [(position: Int, sealed: [UInt8])] = []  // a list, not [Int: ...]: see `changes`
    for (_, change) in changes {
      guard let value = change.value, let i = try find(change.id) else { return nil }
      let sealed = sealRecord(id: change.id, key: change.key, value: value)
      guard sealed.count == entryLength(i) else { return nil }
      patches.append((i, sealed))
    }
    var regions: [Journal.Region] = []
    // Each touched page gets its new tags and a new MAC.
    patches.sort { $0.position < $1.position }
    var touchedPages: [Int] = []
    for p in patches where touchedPages.last != layout.page(of: p.position) {
      touchedPages.append(layout.page(of: p.position))
    }
    var pageMACs: [(page: Int, mac: [UInt8])] = []
    for p in touchedPages {
      let range = layout.pageRange(p)
      var page = Array(map.bytes[layout.entryAt(range.lowerBound)..<layout.entryAt(range.upperBound)])
      for (i, sealed) in patches where range.contains(i) {
        let tag = Array(sealed[(sealed.count - 16)...])
        let at = (i - range.lowerBound) * Self.entryLength + 20
        page.replaceSubrange(at..<(at + 16), with: tag)
        regions.append(.init(offset: try recordOffset(i), bytes: sealed))
        regions.append(.init(offset: layout.tagAt(i), bytes: tag))
      }
      let mac = page.withUnsafeBytes { IndexLayout.pageMAC(key: indexKey, page: p, entries: $0) }
      pageMACs.append((p, mac))
      regions.append(.init(offset: layout.pageMACAt(p), bytes: mac))
    }
    // The part of the page table `range` (file offsets) with the new page MACs in it.
    func pageTable(_ range: Range<Int>) -> [UInt8] {
      var table = Array(map.bytes[range])
      for (p, mac) in pageMACs where range.contains(layout.pageMACAt(p)) {
        let at = layout.pageMACAt(p) - range.lowerBound
        table.replaceSubrange(at..<(at + 32), with: mac)
      }
      return table
    }
    // Format 4: each touched page's group gets a new MAC over its slice of the page
    // table (1.8 KB; the whole table is never copied), and the root covers the group
    // table; formats 1-3: the root covers the whole page table.
    var covered: [UInt8]
    if layout.grouped {
      covered = Array(map.bytes[layout.groupTableStart..<layout.rootAt])
      var touchedGroups: [Int] = []
      for p in touchedPages where touchedGroups.last != p / IndexLayout.groupPages {
        touchedGroups.append(p / IndexLayout.groupPages)
      }
      for g in touchedGroups {
        let mac = pageTable(layout.groupPageTable(g)).withUnsafeBytes {
          IndexLayout.groupMAC(key: indexKey, group: g, pageTable: $0)
        }
        let at = g * IndexLayout.groupEntryLength + 16
        covered.replaceSubrange(at..<(at + 32), with: mac)
        regions.append(.init(offset: layout.groupMACAt(g), bytes: mac))
      }
    } else {
      covered = pageTable(layout.pageTableStart..<layout.rootAt)
    }
    let newMAC = covered.withUnsafeBytes { c in
      layout.rootMAC(
        key: indexKey, prefix: UnsafeRawBufferPointer(rebasing: map.bytes[0..<layout.entriesStart]), covered: c)
    }
    regions.append(.init(offset: layout.rootAt, bytes: newMAC))
    return Journal.Plan(oldMAC: Array(map.bytes[layout.rootAt..<recordsStart]), newMAC: newMAC, regions: regions)
  }
}

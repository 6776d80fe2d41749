// Target audit_log: the audit log beside a vault (`<vault>.audit`, which anyone who can
// write the directory can replace): AuditLog.readHeader and verify (the framing,
// lengths, sequence numbers, the chain, the uncommitted tail, the misplaced-record
// diagnosis) against the head committed in the vault, as `audit verify`, `audit list`
// and every commit read it.
//
// Input: flags u8, vault (u32 length, bytes), then the log file. Flags: bits 0 and 1 as
// for the vault target; bit 2: no log file at all; bit 3: the log is a rewritten one
// waiting as `<vault>.audit.next` (prune and rekey) instead of `<vault>.audit`.
func fuzzAuditLog(_ input: UnsafeRawBufferPointer) {
  guard let flags = input.first else { return }
  var rest = Array(input.dropFirst())[...]
  var vault = fuzzSplit(&rest)
  if flags & 1 != 0 { FixUp.headerChecksum(&vault) }
  if flags & 2 != 0 { FixUp.indexMACs(&vault) }
  FuzzFiles.remove("vault.mfa.journal")
  FuzzFiles.remove("vault.mfa.audit")
  FuzzFiles.remove("vault.mfa.audit.next")
  FuzzFiles.write("vault.mfa", vault)
  if flags & 4 == 0 {
    FuzzFiles.write(flags & 8 != 0 ? "vault.mfa.audit.next" : "vault.mfa.audit", Array(rest))
  }
  guard
    let v = try? VaultFile(
      path: FuzzFiles.path("vault.mfa"), key: .keyFile(FuzzFiles.key), mode: .shared, lockTimeout: 1)
  else { return }
  defer { v.close() }
  _ = try? v.auditHead()
  if let (records, _) = try? v.auditRecords() {
    _ = records.count
  }
  _ = try? v.committedAuditLog()
}

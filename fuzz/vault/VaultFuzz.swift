import Sodium

// Target vault: a whole vault file opened with the fuzz key file (VaultFile.init: header,
// key slots, index root, page table, last page), then every record read (pages, record
// framing, decryption, plaintext layout) and a few looked up by key.
//
// Input: flags u8, then [journal: u32 length, bytes] when bit 2 is set, then the vault
// file. Flags: bit 0 recomputes the header checksum, bit 1 the index MACs (page and
// root), as the key holder would; bit 2 puts a `<vault>.journal` beside the vault (an
// interrupted in-place write, recovered on open).
func fuzzVault(_ input: UnsafeRawBufferPointer) {
  guard let flags = input.first else { return }
  var rest = Array(input.dropFirst())[...]
  FuzzFiles.remove("vault.mfa.journal")
  if flags & 4 != 0 { FuzzFiles.write("vault.mfa.journal", fuzzSplit(&rest)) }
  var file = Array(rest)
  if flags & 1 != 0 { FixUp.headerChecksum(&file) }
  if flags & 2 != 0 { FixUp.indexMACs(&file) }
  FuzzFiles.write("vault.mfa", file)
  FuzzFiles.remove("vault.mfa.audit")
  openAndRead(FuzzFiles.path("vault.mfa"))
}

func openAndRead(_ path: String) {
  guard let vault = try? VaultFile(path: path, key: .keyFile(FuzzFiles.key), mode: .shared, lockTimeout: 1) else {
    return
  }
  defer { vault.close() }
  _ = vault.recordCount
  if var all = try? vault.records(withPrefix: "") {
    for r in all.prefix(8) { _ = try? vault.get(r.key) }
    for i in all.indices { Sodium.wipe(&all[i].value) }
  }
  for key in ["user/alice", "audit/head", "name/0000000000000000"] { _ = try? vault.get(key) }
}

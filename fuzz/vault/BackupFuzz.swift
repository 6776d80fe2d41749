// Target backup: a backup file checked as `backup verify` and `backup restore` check it
// (Backup.Opener.verify with the fuzz key file): the plaintext part (magic, version,
// header length, the vault header and its checksum), then, behind the payload's
// AEAD, the payload framing, the vault inside (header, index rebuilt and compared,
// every record) and its audit log.
//
// Input: flags u8, then either the backup file (bit 0 clear; bit 1 recomputes the
// header checksum) or, with bit 0 set, the payload plaintext (vault_length u64, vault,
// audit_length u64, audit), which the harness seals under the vault's K_backup behind
// a plaintext part made from the vault's own header, as `backup create` would; bit 1
// then recomputes the checksum and index MACs of the vault inside first.
import Sodium

func fuzzBackup(_ input: UnsafeRawBufferPointer) {
  guard let flags = input.first else { return }
  var file: [UInt8]
  if flags & 1 == 0 {
    file = Array(input.dropFirst())
    if flags & 2 != 0 { FixUp.headerChecksum(&file, at: Backup.fixedLength) }
  } else {
    guard let sealed = sealPayload(Array(input.dropFirst()), fix: flags & 2 != 0) else { return }
    file = sealed
  }
  FuzzFiles.write("backup.mfab", file)
  _ = try? Backup.Opener(key: .keyFile(FuzzFiles.key), scratchBase: FuzzFiles.dir).verify(
    path: FuzzFiles.path("backup.mfab"))
}

/// A backup file around `payload`, sealed as `Backup.make` seals it; nil when the
/// vault inside has no header the fuzz key opens (nothing to seal with).
func sealPayload(_ payload: [UInt8], fix: Bool) -> [UInt8]? {
  var payload = payload
  guard payload.count >= 8 else { return nil }
  var vl = 0
  for i in 0..<8 { vl |= Int(payload[i]) << (8 * i) }
  guard vl >= 0, vl <= payload.count - 8 else { return nil }
  if fix {
    var vault = Array(payload[8..<(8 + vl)])
    FixUp.headerChecksum(&vault)
    FixUp.indexMACs(&vault)
    payload.replaceSubrange(8..<(8 + vl), with: vault)
  }
  let vault = Array(payload[8..<(8 + vl)])
  guard let (dataKey, headerLength) = FixUp.dataKey(vault),
    let header = try? vault.withUnsafeBytes({ try VaultHeader.decode($0) }).0,
    let backupKey = try? Sodium.deriveSubkey(from: dataKey, id: Subkey.backup.rawValue, context: VaultFormat.kdfContext)
  else { return nil }
  var w = ByteWriter()
  w.raw(Backup.magic)
  w.u16(Backup.version)
  w.i64(header.createdAt)
  w.u32(UInt32(headerLength))
  w.raw(Array(vault[0..<(headerLength + 32)]))
  return w.bytes + Sodium.seal(payload, additionalData: w.bytes, key: backupKey)
}

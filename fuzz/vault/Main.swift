// libFuzzer entry point for the Vault module's decoders; compiled together with
// Sources/Vault/*.swift (scripts/fuzz.sh), so internals (IndexLayout, SlotCrypto,
// AuditLog) are visible. One executable serves several targets, chosen by the name it
// is run under (.build-fuzz/<target> is a link to it).
import Sodium

#if canImport(Glibc)
  import Glibc
#endif

nonisolated(unsafe) var fuzzTarget: (UnsafeRawBufferPointer) -> Void = { _ in }

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(
  _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>
) -> CInt {
  let name = String(cString: argv.pointee[0]!).split(separator: "/").last.map(String.init) ?? ""
  switch name {
  case "vault_header": fuzzTarget = fuzzVaultHeader
  case "vault": fuzzTarget = fuzzVault
  case "audit_log": fuzzTarget = fuzzAuditLog
  case "backup": fuzzTarget = fuzzBackup
  default:
    fputs("vault-fuzz: run me as vault_header, vault, audit_log or backup (a link named for the target)\n", stderr)
    exit(2)
  }
  FuzzFiles.setUp()
  return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafeRawPointer, _ count: Int) -> CInt {
  fuzzTarget(UnsafeRawBufferPointer(start: data, count: count))
  return 0
}

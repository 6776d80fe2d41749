// libFuzzer entry point for the Accounts module's decoders; compiled together with
// Sources/Accounts/**/*.swift (scripts/fuzz.sh), so the internal section decoders are
// visible. One executable serves several targets, chosen by the name it is run under
// (.build-fuzz/<target> is a link to it).
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
  case "google_authenticator": fuzzTarget = fuzzGoogleAuthenticator
  case "records": fuzzTarget = fuzzRecords
  default:
    fputs("accounts-fuzz: run me as google_authenticator or records (a link named for the target)\n", stderr)
    exit(2)
  }
  return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafeRawPointer, _ count: Int) -> CInt {
  fuzzTarget(UnsafeRawBufferPointer(start: data, count: count))
  return 0
}

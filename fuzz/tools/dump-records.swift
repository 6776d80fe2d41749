// Writes the decrypted user records and audit events of a vault as seeds for the
// `records` target (scripts/fuzz.sh corpus): selector byte 0 + a user record,
// selector 1 + an audit event.
//
//   dump-records VAULT KEY_FILE OUT_DIR
import Sodium
import Vault

#if canImport(Glibc)
  import Glibc
#endif

@main
struct DumpRecords {
  static func main() throws {
    let args = CommandLine.arguments
    guard args.count == 4 else {
      fputs("usage: dump-records VAULT KEY_FILE OUT_DIR\n", stderr)
      exit(64)
    }
    let vault = try VaultFile(path: args[1], key: .keyFile(try KeyFile.load(args[2])), mode: .shared, lockTimeout: 5)
    mkdir(args[3], 0o755)

    func write(_ args: [String], _ name: String, _ bytes: [UInt8]) {
      let path = args[3] + "/" + name
      guard let f = fopen(path, "wb") else { fatalError("cannot write \(path)") }
      _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
      fclose(f)
    }

    var users = 0
    for record in try vault.records(withPrefix: "") where record.key.hasPrefix("user/") {
      users += 1
      write(args, "user-\(record.key.dropFirst(5))", [0] + record.value)
    }
    let (events, _) = try vault.auditRecords()
    for e in events { write(args, "audit-event-\(e.seq)", [1] + e.plaintext) }
    print("dump-records: \(users) user records, \(events.count) audit events")
  }
}

import Accounts
import ArgumentParser
import Vault

#if canImport(Glibc)
  import Glibc
#endif

struct VaultCheck: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Decrypt and check every record of the vault (exit 65 naming the problem).")
  @OptionGroup var options: GlobalOptions

  func run() throws {
    try reporting {
      let ctx = Context(options: options)
      let store = try ctx.openStore(write: false)
      let users = try store.allUsers()
      _ = try store.tokenKey()  // decodes `keys/hashing` strictly when the vault has it
      if options.json {
        ctx.printer.json(
          .object([
            ("vault", .string(ctx.vaultName)), ("ok", .bool(true)), ("records", .int(Int64(try store.recordCount))),
            ("users", .int(Int64(users.count))),
          ]))
      } else {
        ctx.printer.line("ok: \(try store.recordCount) records, \(users.count) users")
      }
    }
  }
}

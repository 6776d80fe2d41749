import Accounts
import ArgumentParser
import Sodium
import Vault

struct VaultRemoveKeyFile: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "remove-key-file",
    abstract: "Remove a key-file slot: the one PATH opens, or the only one. Never the last slot.")
  @OptionGroup var options: GlobalOptions
  @Argument(help: "The key file whose slot to remove (default: the vault's only key-file slot).", completion: .file())
  var path: String?

  func run() throws {
    try reporting {
      let ctx = Context(options: options)
      let target = try path.map { try KeyFile.load($0) }
      let store = try ctx.openStore(write: true)
      let changed = try ChangeKeySlots.run(store, .removeKeyFile(target))
      let removed = changed.removed!
      if options.json {
        ctx.printer.json(
          .object([
            ("vault", .string(ctx.vaultName)), ("removed_fingerprint", .string(removed.fingerprintHex)),
            ("slots", ObjectJSON.keySlots(changed.slots)),
          ]))
      } else {
        ctx.printer.line("removed key-file slot \(removed.fingerprintHex)")
      }
    }
  }
}

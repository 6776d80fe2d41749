import Accounts
import ArgumentParser
import Sodium
import Vault

struct VaultAddKeyFile: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "add-key-file",
    abstract: "Add a key-file slot: creates PATH (32 random bytes, 0600) when missing, else enrols that file.")
  @OptionGroup var options: GlobalOptions
  @Argument(help: "Key file path.", completion: .file()) var path: String

  func run() throws {
    try reporting {
      let ctx = Context(options: options)
      let store = try ctx.openStore(write: true)
      let created = !FileIO.exists(path)
      let key = created ? try KeyFile.generate(at: path) : try KeyFile.load(path)
      let changed: ChangeKeySlots.Result
      do {
        changed = try ChangeKeySlots.run(store, .addKeyFile(key, created: created))
      } catch {
        if created { unlinkFile(path) }
        throw error
      }
      if options.json {
        ctx.printer.json(
          .object([
            ("vault", .string(ctx.vaultName)), ("key_file", .string(path)), ("key_file_created", .bool(created)),
            ("slots", ObjectJSON.keySlots(changed.slots)),
          ]))
      } else {
        ctx.printer.line(
          created ? "created key file \(path) and added it to the vault" : "added key file \(path) to the vault")
      }
    }
  }
}

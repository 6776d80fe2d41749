import Accounts
import ArgumentParser
import Sodium
import Vault

struct VaultPasswd: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "passwd",
    abstract: "Set or change the vault passphrase.",
    discussion: """
      Unlock with any key source; the new passphrase comes from --new-passphrase-file FILE, \
      else one line of stdin, else a prompt asked twice. Replaces the passphrase slot (or adds \
      one to a key-file-only vault).
      """)
  @OptionGroup var options: GlobalOptions
  @Option(
    help: ArgumentHelp("Read the new passphrase from the first line of this file.", valueName: "file"),
    completion: .file())
  var newPassphraseFile: String?
  @Option(help: "Argon2id cost of the new slot: interactive (64 MiB), moderate (256 MiB) or sensitive (1 GiB).")
  var kdf: KDFLevel = .moderate

  func run() throws {
    try reporting {
      let ctx = Context(options: options)
      let newPass: SecureBytes
      if let f = newPassphraseFile {
        newPass = try Context.passphraseFromFile(f)
      } else {
        newPass = try readNewPassphrase()
      }
      let store = try ctx.openStore(write: true, stdinFree: newPassphraseFile != nil)
      let changed = try ChangeKeySlots.run(store, .setPassphrase(newPass, limits: kdf.limits, kdf: kdf.rawValue))
      if options.json {
        ctx.printer.json(
          .object([
            ("vault", .string(ctx.vaultName)), ("passphrase", .string("changed")),
            ("slots", ObjectJSON.keySlots(changed.slots)),
          ]))
      } else {
        ctx.printer.line("passphrase changed for \(ctx.vaultName)")
      }
    }
  }
}

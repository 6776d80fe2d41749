import ArgumentParser
import Sodium
import Vault

struct BackupVerify: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Decrypt a backup and check it completely, without touching the vault.",
    discussion: """
      Needs a key like every command that decrypts (--key-file, --passphrase-file, \
      $MFACTL_PASSPHRASE, a prompt): one the backup's key slots open. Checks the file's \
      authenticity, the vault inside (header, index, every record decrypted and every user \
      record decoded) and the whole audit chain. Exit 0 when sound, 65 when corrupt or \
      tampered with, 77 when the key does not open it, 66 when there is no such file.
      """)
  @OptionGroup var options: GlobalOptions
  @Argument(help: ArgumentHelp("The backup file.", valueName: "file"), completion: .file(extensions: ["mfab"]))
  var file: String

  func run() throws {
    try reporting {
      try backupErrors {
        let ctx = Context(options: options)
        let peek = try Backup.peek(path: file)  // not a backup: 65 (66 when missing) before asking for a key
        let (key, source) = try ctx.unlock(passphraseSlot: { peek.header.slots.contains { $0.kind == .passphrase } })
        var users = 0
        let c = try ctx.naming(source, opening: "backup \(file)") {
          try Backup.verify(path: file, key: key, inspect: { users = try countUsers($0, ctx) })
        }
        if options.json {
          ctx.printer.json(.object(ObjectJSON.backup(c, users: users)))
        } else {
          ctx.printer.line(
            "ok: \(file): backup made \(Time.rfc3339(c.created)) of vault \(Sodium.hex(c.vaultHeader.vaultID)), "
              + "\(users) user\(users == 1 ? "" : "s"), \(c.recordCount) record\(c.recordCount == 1 ? "" : "s"), "
              + (c.auditBytes.isEmpty ? "no audit log" : "audit log \(c.auditBytes.count) bytes")
              + (c.separateKeySlots ? ", own backup passphrase" : ""))
        }
      }
    }
  }
}

import ArgumentParser
import Vault

struct BackupList: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list",
    abstract: "List the backups (mfactl-backup-*.mfab) in a directory, newest first.",
    discussion: """
      Shows each file's time, size and whether it verified. Given a key (--key-file, \
      --passphrase-file or $MFACTL_PASSPHRASE; list never prompts), every backup is checked \
      as by 'backup verify' and its users counted: verified yes or no (with the reason). \
      Without a key only the plaintext part is checked: verified unknown, or no when even \
      that is damaged. JSON: one object per file (id = the file name, verified true, false \
      or null).
      """)
  @OptionGroup var options: GlobalOptions
  @Argument(help: ArgumentHelp("The backup directory.", valueName: "dir"), completion: .directory) var directory: String

  func run() throws {
    try reporting {
      try backupErrors {
        let ctx = Context(options: options)
        let files: [Backup.Listed]
        do {
          files = try Backup.list(directory: directory)
        } catch VaultError.notFound {
          throw CLIError("no directory at \(directory)", code: Exit.notFound)
        }
        let hasKey = ctx.keySource != nil
        let opener = try hasKey ? Backup.Opener(key: ctx.unlockKey(stdinFree: false)) : nil
        if files.isEmpty && !options.json { ctx.printer.line("no backups in \(directory)") }
        for f in files {
          var verified: Bool? = nil
          var users: Int? = nil
          var problem: String? = nil
          var facts = ObjectJSON.BackupFacts(path: f.path, created: f.created, size: f.size, vaultID: f.vaultID)
          do {
            if let o = opener {
              var n = 0
              let c = try o.verify(path: f.path, inspect: { n = try countUsers($0, ctx) })
              users = n
              verified = true
              facts = ObjectJSON.BackupFacts(
                path: f.path, created: c.created, size: c.size, vaultID: c.vaultHeader.vaultID, users: n,
                records: c.recordCount, vaultSize: c.vaultBytes.count, auditSize: c.auditBytes.count,
                separatePassphrase: c.separateKeySlots)
            } else {
              _ = try Backup.peek(path: f.path)
            }
          } catch {
            verified = false
            problem = (error as? BackupError)?.description ?? Report.classify(error).message
          }
          if options.json {
            facts.verified = verified
            facts.problem = problem
            ctx.printer.json(.object(ObjectJSON.backup(facts)))
          } else {
            let v = verified.map { $0 ? "yes" : "no" } ?? "unknown"
            ctx.printer.essential(
              "\(f.name)  \(f.created.map { Time.rfc3339($0) } ?? "-")  \(f.size) bytes"
                + (users.map { "  \($0) user\($0 == 1 ? "" : "s")" } ?? "") + "  verified \(v)"
                + (problem.map { " (\($0))" } ?? ""))
          }
        }
      }
    }
  }
}

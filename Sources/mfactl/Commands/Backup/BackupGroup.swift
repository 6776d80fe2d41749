import Accounts
import ArgumentParser
import Vault

#if canImport(Glibc)
  import Glibc
#endif

extension MFACtl {
  struct BackupGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "backup",
      abstract: "Make, check, list and restore encrypted backups (the vault and its audit log in one file).",
      discussion: """
        A backup is one file holding the vault and <vault>.audit, encrypted and authenticated \
        under a key derived from the vault's data key. By default it opens with the key slots \
        the vault had when it was made (the same key file or passphrase); \
        'backup create --backup-passphrase-file FILE' gives it its own passphrase instead. \
        verify, restore and list take the key like every command that decrypts: --key-file, \
        --passphrase-file, $MFACTL_PASSPHRASE or a prompt. Format: docs/FORMAT.md, "Backups".
        """,
      subcommands: [BackupCreate.self, BackupVerify.self, BackupRestore.self, BackupList.self])
  }
}

/// Runs `body`, turning backup errors into the one error voice with a hint.
func backupErrors<T>(_ body: () throws -> T) throws -> T {
  do {
    return try body()
  } catch let e as BackupError {
    throw e.cliError
  }
}

extension BackupError {
  /// Where a restore keeps what it replaces: files beside a vault file, a schema in a database.
  static func keptAs(_ vault: String) -> String {
    PostgresVault.isURI(vault)
      ? "(the current tables are kept as the schema mfactl_replaced_<time>)"
      : "(the current vault and audit log are kept as <vault>.replaced-<time>)"
  }

  var cliError: CLIError {
    var hint: String? = nil
    switch self {
    case .alreadyExists:
      hint = "a backup never overwrites a file: choose another name, or move the old file away first"
    case .corrupt, .unsupportedVersion:
      hint = "the file was left as it is; use another backup"
    case .unlockFailed(_, let passphraseOnly):
      hint =
        passphraseOnly
        ? "this backup opens only with a passphrase (the one from --backup-passphrase-file, or the vault's when the backup was made): give it with --passphrase-file FILE or $MFACTL_PASSPHRASE"
        : "a backup opens with the key slots the vault had when it was made: give one of those keys (--key-file, --passphrase-file, $MFACTL_PASSPHRASE)"
    case .vaultStillOpens(let where_):
      hint =
        "a restore rolls the vault back to the backup (users, sessions, devices and settings as they were; replay floors and used recovery codes are carried over from the current vault); pass --force to restore anyway \(Self.keptAs(where_))"
    case .vaultNotChecked(let where_, _):
      hint =
        "a restore rolls the vault back to the backup, and this vault cannot be read with the key given, so codes used since the backup are accepted again (replay state) and used recovery codes work again; pass --force to restore anyway \(Self.keptAs(where_))"
    case .notFound: break
    }
    return CLIError(description, code: exitCode, hint: hint)
  }
}

/// The number of users in a vault, decoding every user record strictly (which decrypts
/// every record of the vault, so it is also the full record check).
func countUsers(_ vault: VaultFile, _ ctx: Context) throws -> Int {
  try AccountStore(vault: vault, now: ctx.now, actor: ctx.actor).allUsers().count
}

/// `path` made absolute (for the audit log, which outlives the working directory).
func absolutePath(_ path: String) -> String {
  if path.hasPrefix("/") { return path }
  guard let cwd = getcwd(nil, 0) else { return path }
  defer { free(cwd) }
  return joinPath(String(cString: cwd), path.hasPrefix("./") ? String(path.dropFirst(2)) : path)
}

/// `dir/name`, without a doubled slash.
func joinPath(_ dir: String, _ name: String) -> String {
  dir.hasSuffix("/") ? dir + name : dir + "/" + name
}

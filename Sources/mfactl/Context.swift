// What every command needs before it can do its work: where the vault is, how to
// unlock it, who is acting, what time it is. Resolution rules are the contract's
// (docs/guide.md, "Files" and "Unlocking: which key is used").
import Accounts
import ArgumentParser
import Sodium
import Vault

#if canImport(Glibc)
  import Glibc
#endif

enum Env {
  static func get(_ name: String) -> String? {
    guard let v = getenv(name) else { return nil }
    let s = String(cString: v)
    return s.isEmpty ? nil : s
  }
}

struct Context {
  let options: Settings
  var printer: Printer { Printer(options: options) }

  init(settings: Settings) { options = settings }
  init(options: GlobalOptions) { self.options = options.settings }

  /// --vault, else $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa
  /// (~/.local/share/mfactl/vault.mfa).
  var vaultPath: String {
    if let v = options.vault { return v }
    if let v = GlobalOption.vault.fromEnvironment { return v }
    if let x = Env.get("XDG_DATA_HOME") { return x + "/mfactl/vault.mfa" }
    let home = Env.get("HOME") ?? "."
    return home + "/.local/share/mfactl/vault.mfa"
  }

  /// Whether the vault is a PostgreSQL database (a `postgresql://` or `postgres://` URI).
  var isPostgres: Bool { PostgresVault.isURI(vaultPath) }

  /// The vault as messages and output name it: the path, or the URI without a password.
  var vaultName: String { isPostgres ? PostgresVault.redacted(vaultPath) : vaultPath }

  var lockTimeout: Double { VaultLock.timeoutFromEnvironment() }

  var now: Int64 { Clock.now() }

  /// --actor, else $SUDO_USER, else the login name, else the uid.
  var actor: Actor {
    // --actor was checked when parsed; a name from the environment is made safe here.
    let name =
      options.actor
      ?? (Env.get("SUDO_USER") ?? Env.get("LOGNAME") ?? Env.get("USER")
      ?? (getpwuid(getuid()).map { String(cString: $0.pointee.pw_name) }))?.displaySafe ?? "uid \(getuid())"
    return Actor(name: name.clipped(128), ip: options.ip?.clipped(128), userAgent: options.userAgent?.clipped(512))
  }

  var keyFilePath: String? { options.keyFile ?? GlobalOption.keyFile.fromEnvironment }
  var passphraseFilePath: String? { options.passphraseFile ?? GlobalOption.passphraseFile.fromEnvironment }

  /// The source an unlock key comes from, first match wins (docs/guide.md, "Unlocking:
  /// which key is used"): the command line before the environment, so an explicit flag
  /// always beats a variable; nil when none is given (then a prompt, when there may be one).
  var keySource: KeySource? {
    if let p = options.keyFile { return .keyFile(p, from: "--key-file") }
    if let p = options.passphraseFile { return .passphraseFile(p, from: "--passphrase-file") }
    if let p = GlobalOption.keyFile.fromEnvironment { return .keyFile(p, from: "$MFACTL_KEY_FILE") }
    if let p = GlobalOption.passphraseFile.fromEnvironment {
      return .passphraseFile(p, from: "$MFACTL_PASSPHRASE_FILE")
    }
    if Env.get("MFACTL_PASSPHRASE") != nil { return .passphraseVariable }
    return nil
  }

  /// The key to unlock the vault with (`unlock(...)`, without the source).
  func unlockKey(stdinFree: Bool = true) throws -> UnlockKey {
    try unlock(stdinFree: stdinFree).key
  }

  /// The key to unlock with and where it came from: `keySource`, else a no-echo prompt
  /// when stdin is a terminal (and free) and the thing to open has a passphrase slot
  /// (`passphraseSlot`; by default the vault's header says, read without unlocking), so
  /// a vault with only key-file slots never prompts for a passphrase.
  func unlock(stdinFree: Bool = true, passphraseSlot: (() -> Bool)? = nil) throws -> (key: UnlockKey, source: KeySource)
  {
    if let source = keySource { return (try source.load(), source) }
    let offersPassphrase = passphraseSlot?() ?? vaultHasPassphraseSlot
    if Terminal.stdinIsTerminal && stdinFree && offersPassphrase {
      var line = try Terminal.promptLine("Passphrase for \(vaultPath)", echo: false)
      defer { Sodium.wipe(&line) }
      return (.passphrase(try SecureBytes(copying: line)), .prompt)
    }
    if !offersPassphrase {
      throw CLIError(
        "no key to unlock the vault: it has only key-file slots", code: Exit.unlockFailed,
        hint: "give --key-file PATH (or $MFACTL_KEY_FILE)")
    }
    throw CLIError(
      "no key to unlock the vault", code: Exit.unlockFailed,
      hint:
        "give --key-file PATH ($MFACTL_KEY_FILE), --passphrase-file PATH ($MFACTL_PASSPHRASE_FILE) or $MFACTL_PASSPHRASE, or run on a terminal to be prompted"
    )
  }

  /// Whether the vault's header (read without unlocking) has a passphrase slot; true
  /// when it cannot be read (the open that follows reports why).
  var vaultHasPassphraseSlot: Bool {
    let header =
      isPostgres
      ? (try? PostgresVault.readHeader(uri: vaultPath, lockTimeout: lockTimeout))?.header
      : (try? VaultFile.readHeader(path: vaultPath, lockTimeout: lockTimeout))?.0
    guard let h = header else { return true }
    return h.slots.contains { $0.kind == .passphrase }
  }

  /// Runs `body` with a key from `source`, turning "opens no key slot" (77) into one
  /// line naming the source that was tried.
  func naming<T>(_ source: KeySource, opening what: String, _ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch VaultError.unlockFailed {
      throw source.unlockFailure(opening: what)
    } catch BackupError.unlockFailed(let path, let passphraseOnly) {
      var e = source.unlockFailure(opening: "backup \(path)")
      if passphraseOnly {
        e.hint =
          "this backup opens only with a passphrase (its own, from --backup-passphrase-file, or the vault's when the backup was made): give it with --passphrase-file FILE"
      }
      throw e
    }
  }

  /// The first line of a passphrase file, without its line ending.
  static func passphraseFromFile(_ path: String, from: String? = nil) throws -> SecureBytes {
    var bytes: [UInt8]
    do {
      bytes = try FileIO.readSmallFile(path, limit: 64 * 1024)
    } catch VaultError.notFound {
      throw CLIError("passphrase file not found: \(path)\(from.map { " (from \($0))" } ?? "")", code: Exit.notFound)
    }
    defer { Sodium.wipe(&bytes) }
    var end = bytes.firstIndex(of: 10) ?? bytes.count
    if end > 0 && bytes[end - 1] == 13 { end -= 1 }
    guard end > 0 else { throw CLIError("passphrase file \(path) is empty", code: Exit.dataError) }
    return try SecureBytes(copying: Array(bytes[0..<end]))
  }

  static func noVault(_ path: String) -> CLIError {
    CLIError(
      "no vault at \(path)", code: Exit.notFound,
      hint: "create one with 'mfactl init', or point --vault (or $MFACTL_VAULT) at an existing vault")
  }

  /// --syslog, or $MFACTL_SYSLOG=1.
  var mirrorToSyslog: Bool { options.syslog || GlobalOption.syslog.fromEnvironment == "1" }

  /// Opens and unlocks the vault, file or PostgreSQL, as the domain's storage. `write`
  /// takes the exclusive lock for a read-modify-write; otherwise a shared one. A missing
  /// vault file is reported before a key is asked for.
  func openStorage(write: Bool, stdinFree: Bool = true) throws -> AccountStorage {
    if !isPostgres && !FileIO.exists(vaultPath) { throw Self.noVault(vaultPath) }
    return try openStorage(write: write, unlocked: try unlock(stdinFree: stdinFree))
  }

  /// The same with a key already chosen (`unlock()`).
  func openStorage(write: Bool, unlocked: (key: UnlockKey, source: KeySource)) throws -> AccountStorage {
    let mode: VaultLock.Mode = write ? .exclusive : .shared
    if isPostgres {
      let uri = vaultPath
      return try naming(unlocked.source, opening: "vault \(vaultName)") {
        PostgresStorage(try PostgresVault(uri: uri, key: unlocked.key, mode: mode, lockTimeout: lockTimeout))
      }
    }
    let path = vaultPath
    guard FileIO.exists(path) else { throw Self.noVault(path) }
    return try naming(unlocked.source, opening: "vault \(path)") {
      FileVaultStorage(try VaultFile(path: path, key: unlocked.key, mode: mode, lockTimeout: lockTimeout))
    }
  }

  func openStore(write: Bool, stdinFree: Bool = true) throws -> AccountStore {
    let store = AccountStore(storage: try openStorage(write: write, stdinFree: stdinFree), now: now, actor: actor)
    store.mirrorToSyslog = mirrorToSyslog
    return store
  }
}

/// Where an unlock key came from (docs/guide.md, "Unlocking: which key is used"); errors
/// name it, so a user sees which of several given keys was used.
enum KeySource: Equatable {
  /// A key file, and the flag or variable that named it.
  case keyFile(String, from: String)
  case passphraseFile(String, from: String)
  case passphraseVariable
  case prompt

  /// "the key file from $MFACTL_KEY_FILE (/etc/mfactl/key)".
  var description: String {
    switch self {
    case .keyFile(let path, let from): return "the key file from \(from) (\(path))"
    case .passphraseFile(let path, let from): return "the passphrase from \(from) (\(path))"
    case .passphraseVariable: return "the passphrase from $MFACTL_PASSPHRASE"
    case .prompt: return "the passphrase typed"
    }
  }

  /// From the environment (a flag would have beaten it).
  var fromEnvironment: Bool {
    switch self {
    case .keyFile(_, let from), .passphraseFile(_, let from): return from.hasPrefix("$")
    case .passphraseVariable: return true
    case .prompt: return false
    }
  }

  /// Reads the key (a named file that does not exist is 66; one that cannot be a key
  /// file is a failed unlock, 77).
  func load() throws -> UnlockKey {
    switch self {
    case .keyFile(let path, let from):
      do {
        return .keyFile(try KeyFile.load(path))
      } catch VaultError.notFound {
        throw CLIError("key file not found: \(path) (from \(from))", code: Exit.notFound)
      } catch let e as VaultError {
        // A file that cannot be a key is a failed unlock (77), not a damaged vault.
        if case .badKeyFile = e { throw CLIError("\(e.description) (from \(from))", code: Exit.unlockFailed) }
        throw e
      }
    case .passphraseFile(let path, let from):
      return .passphrase(try Context.passphraseFromFile(path, from: from))
    case .passphraseVariable:
      guard let p = getenv("MFACTL_PASSPHRASE"), p.pointee != 0 else {
        throw CLIError("$MFACTL_PASSPHRASE is empty", code: Exit.unlockFailed)
      }
      return .passphrase(try SecureBytes(copying: UnsafeRawBufferPointer(start: p, count: strlen(p))))
    case .prompt:
      throw CLIError("no passphrase typed", code: Exit.unlockFailed)
    }
  }

  /// The 77 for a key that opens no key slot: names the source, and points at what the
  /// user did not give (never at what was given).
  func unlockFailure(opening what: String) -> CLIError {
    var hint = "mfactl vault info lists the key slots"
    if fromEnvironment {
      hint += "; --key-file PATH or --passphrase-file PATH on the command line beats the environment"
    }
    return CLIError("\(description) opens no key slot of \(what)", code: Exit.unlockFailed, hint: hint)
  }
}

/// Removes a file this command created, when a later step failed (nothing left behind).
func unlinkFile(_ path: String) { unlink(path) }

/// A user name given on the command line, checked before the vault is opened (64).
func checkUserName(_ name: String) throws {
  do {
    try UserName.validate(name)
  } catch let e as AccountsError {
    throw ValidationError(e.description)
  }
}

extension String {
  /// Control characters and bidirectional overrides replaced by their `\u{...}` form, for
  /// text from the environment or from records written before such text was refused.
  var displaySafe: String {
    guard !DisplayText.isSafe(self) else { return self }
    var out = ""
    for u in unicodeScalars {
      if DisplayText.isSafe(String(u)) {
        out.unicodeScalars.append(u)
      } else {
        out += "\\u{" + String(u.value, radix: 16) + "}"
      }
    }
    return out
  }

  /// At most `bytes` UTF-8 bytes, cut at a character boundary. Client-supplied text
  /// (user agents, addresses) is bounded before it reaches the audit log, sessions and
  /// devices, where readers enforce limits.
  func clipped(_ bytes: Int) -> String {
    if utf8.count <= bytes { return self }
    var out = ""
    var used = 0
    for c in self {
      let n = String(c).utf8.count
      if used + n > bytes { break }
      out.append(c)
      used += n
    }
    return out
  }
}

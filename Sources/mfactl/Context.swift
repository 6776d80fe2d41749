// What every command needs before it can do its work: where the vault is, how to
// unlock it, who is acting, what time it is. Resolution rules are the contract's
// (SPEC "Files" and "Unlocking").
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
    if let v = Env.get("MFACTL_VAULT") { return v }
    if let x = Env.get("XDG_DATA_HOME") { return x + "/mfactl/vault.mfa" }
    let home = Env.get("HOME") ?? "."
    return home + "/.local/share/mfactl/vault.mfa"
  }

  var lockTimeout: Double { VaultLock.timeoutFromEnvironment() }

  var now: Int64 { Clock.now() }

  /// --actor, else $SUDO_USER, else the login name, else the uid.
  var actor: Actor {
    // --actor was checked when parsed; a name from the environment is made safe here.
    let name =
      options.actor ?? (Env.get("SUDO_USER") ?? Env.get("LOGNAME") ?? Env.get("USER")
      ?? (getpwuid(getuid()).map { String(cString: $0.pointee.pw_name) }))?.displaySafe ?? "uid \(getuid())"
    return Actor(name: name.clipped(128), ip: options.ip?.clipped(128), userAgent: options.userAgent?.clipped(512))
  }

  var keyFilePath: String? { options.keyFile ?? Env.get("MFACTL_KEY_FILE") }
  var passphraseFilePath: String? { options.passphraseFile ?? Env.get("MFACTL_PASSPHRASE_FILE") }

  /// The key to unlock with, first match wins: key file, passphrase file,
  /// $MFACTL_PASSPHRASE, a no-echo prompt when stdin is a terminal.
  func unlockKey(stdinFree: Bool = true) throws -> UnlockKey {
    if let path = keyFilePath {
      do {
        return .keyFile(try KeyFile.load(path))
      } catch VaultError.notFound {
        throw CLIError("key file not found: \(path)", code: Exit.notFound)
      } catch let e as VaultError {
        // A file that cannot be a key is a failed unlock (77), not a damaged vault.
        if case .badKeyFile = e { throw CLIError(e.description, code: Exit.unlockFailed) }
        throw e
      }
    }
    if let path = passphraseFilePath {
      return .passphrase(try Self.passphraseFromFile(path))
    }
    if let p = getenv("MFACTL_PASSPHRASE"), p.pointee != 0 {  // empty counts as unset, like every variable
      let len = strlen(p)
      return .passphrase(try SecureBytes(copying: UnsafeRawBufferPointer(start: p, count: len)))
    }
    if Terminal.stdinIsTerminal && stdinFree {
      var line = try Terminal.promptLine("Passphrase for \(vaultPath)", echo: false)
      defer { Sodium.wipe(&line) }
      return .passphrase(try SecureBytes(copying: line))
    }
    throw CLIError(
      "no key to unlock the vault", code: Exit.unlockFailed,
      hint:
        "give --key-file PATH ($MFACTL_KEY_FILE), --passphrase-file PATH ($MFACTL_PASSPHRASE_FILE) or $MFACTL_PASSPHRASE, or run on a terminal to be prompted"
    )
  }

  /// The first line of a passphrase file, without its line ending.
  static func passphraseFromFile(_ path: String) throws -> SecureBytes {
    var bytes: [UInt8]
    do {
      bytes = try FileIO.readSmallFile(path, limit: 64 * 1024)
    } catch VaultError.notFound {
      throw CLIError("passphrase file not found: \(path)", code: Exit.notFound)
    }
    defer { Sodium.wipe(&bytes) }
    var end = bytes.firstIndex(of: 10) ?? bytes.count
    if end > 0 && bytes[end - 1] == 13 { end -= 1 }
    guard end > 0 else { throw CLIError("passphrase file \(path) is empty", code: Exit.dataError) }
    return try SecureBytes(copying: Array(bytes[0..<end]))
  }

  /// Opens and unlocks the vault. `write` takes the exclusive lock for a
  /// read-modify-write; otherwise a shared one.
  func openVault(write: Bool, stdinFree: Bool = true) throws -> VaultFile {
    let path = vaultPath
    guard FileIO.exists(path) else { throw Self.noVault(path) }
    let key = try unlockKey(stdinFree: stdinFree)
    return try VaultFile(path: path, key: key, mode: write ? .exclusive : .shared, lockTimeout: lockTimeout)
  }

  static func noVault(_ path: String) -> CLIError {
    CLIError(
      "no vault at \(path)", code: Exit.notFound,
      hint: "create one with 'mfactl init', or point --vault (or $MFACTL_VAULT) at an existing vault")
  }

  func openStore(write: Bool, stdinFree: Bool = true) throws -> AccountStore {
    let store = AccountStore(vault: try openVault(write: write, stdinFree: stdinFree), now: now, actor: actor)
    store.mirrorToSyslog = options.syslog || Env.get("MFACTL_SYSLOG") == "1"
    return store
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

import ArgumentParser
import Sodium
import Vault

struct VaultInfo: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "info", abstract: "Show the vault header (format, key slots, KDF cost) without unlocking it.")
  @OptionGroup var options: GlobalOptions

  func run() throws {
    try reporting {
      let ctx = Context(options: options)
      let (h, size): (VaultHeader, Int)
      if ctx.isPostgres {
        (h, size) = try PostgresVault.readHeader(uri: ctx.vaultPath, lockTimeout: ctx.lockTimeout)
      } else {
        guard FileIO.exists(ctx.vaultPath) else { throw Context.noVault(ctx.vaultPath) }
        (h, size) = try VaultFile.readHeader(path: ctx.vaultPath, lockTimeout: ctx.lockTimeout)
      }
      if options.json {
        ctx.printer.json(
          .object([
            ("vault", .string(ctx.vaultName)), ("format_version", .int(Int64(h.version))),
            ("created", .time(h.createdAt)), ("size", .int(Int64(size))),
            ("slots", ObjectJSON.keySlots(h.slots)),
          ]))
        return
      }
      let p = ctx.printer
      p.line("vault:    \(ctx.vaultName)")
      p.line("format:   \(h.version)")
      p.line("created:  \(Time.rfc3339(h.createdAt))")
      p.line("size:     \(size) bytes")
      for (i, s) in h.slots.enumerated() {
        if s.kind == .passphrase {
          let mem = s.memLimit >= 1 << 20 ? "\(s.memLimit >> 20) MiB" : "\(s.memLimit >> 10) KiB"
          p.line("slot \(i):   passphrase (Argon2id, opslimit \(s.opsLimit), memlimit \(mem))")
        } else {
          p.line("slot \(i):   key file (fingerprint \(s.fingerprintHex))")
        }
      }
    }
  }
}

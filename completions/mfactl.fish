function __mfactl_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __mfactl_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __mfactl_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __mfactl_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __mfactl_parse_tokens -S
    set -l unparsed_tokens (__mfactl_tokens -pc)
    switch $unparsed_tokens[1]
    case 'mfactl'
        __mfactl_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'init'
            __mfactl_parse_subcommand 0 'vault=' 'key-file=' 'passphrase-file=' 'format=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'kdf=' 'generate-key-file=' 'no-passphrase' 'version' 'h/help'
        case 'enrol'
            __mfactl_parse_subcommand 2 'vault=' 'key-file=' 'passphrase-file=' 'format=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'confirm' 'type=' 'algorithm=' 'digits=' 'period=' 'issuer=' 'label=' 'qr=' 'qr-png=' 'qr-svg=' 'qr-scale=' 'secret=' 'uri=' 'activate' 'id=' 'version' 'h/help'
        case 'verify'
            __mfactl_parse_subcommand 2 'vault=' 'key-file=' 'passphrase-file=' 'format=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'window=' 'version' 'h/help'
        case 'code'
            __mfactl_parse_subcommand 1 'vault=' 'key-file=' 'passphrase-file=' 'format=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'secret=' 'uri=' 'algorithm=' 'digits=' 'period=' 'counter=' 'id=' 'version' 'h/help'
        case 'users'
            __mfactl_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'list'
                __mfactl_parse_subcommand 0 'vault=' 'key-file=' 'passphrase-file=' 'format=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'version' 'h/help'
            case 'show'
                __mfactl_parse_subcommand 1 'vault=' 'key-file=' 'passphrase-file=' 'format=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'version' 'h/help'
            case 'disable'
                __mfactl_parse_subcommand 1 'vault=' 'key-file=' 'passphrase-file=' 'format=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'version' 'h/help'
            case 'enable'
                __mfactl_parse_subcommand 1 'vault=' 'key-file=' 'passphrase-file=' 'format=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'version' 'h/help'
            case 'unlock'
                __mfactl_parse_subcommand 1 'vault=' 'key-file=' 'passphrase-file=' 'format=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'version' 'h/help'
            case 'remove'
                __mfactl_parse_subcommand 1 'vault=' 'key-file=' 'passphrase-file=' 'format=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'authenticator=' 'version' 'h/help'
            case 'resync'
                __mfactl_parse_subcommand 3 'vault=' 'key-file=' 'passphrase-file=' 'format=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'authenticator=' 'version' 'h/help'
            case 'diagnose'
                __mfactl_parse_subcommand 2 'vault=' 'key-file=' 'passphrase-file=' 'format=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'version' 'h/help'
            case 'import'
                __mfactl_parse_subcommand 0 'version' 'h/help'
                switch $unparsed_tokens[1]
                case 'uris'
                    __mfactl_parse_subcommand 1 'vault=' 'key-file=' 'passphrase-file=' 'format=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'version' 'h/help'
                end
            end
        case 'vault'
            __mfactl_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'info'
                __mfactl_parse_subcommand 0 'vault=' 'key-file=' 'passphrase-file=' 'format=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'version' 'h/help'
            case 'passwd'
                __mfactl_parse_subcommand 0 'vault=' 'key-file=' 'passphrase-file=' 'format=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'new-passphrase-file=' 'kdf=' 'version' 'h/help'
            case 'add-key-file'
                __mfactl_parse_subcommand 1 'vault=' 'key-file=' 'passphrase-file=' 'format=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'version' 'h/help'
            case 'remove-key-file'
                __mfactl_parse_subcommand 1 'vault=' 'key-file=' 'passphrase-file=' 'format=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'version' 'h/help'
            case 'rekey'
                __mfactl_parse_subcommand 0 'vault=' 'key-file=' 'passphrase-file=' 'format=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'also-key-file=' 'also-passphrase-file=' 'drop-other-slots' 'kdf=' 'version' 'h/help'
            case 'check'
                __mfactl_parse_subcommand 0 'vault=' 'key-file=' 'passphrase-file=' 'format=' 'quiet' 'actor=' 'ip=' 'user-agent=' 'version' 'h/help'
            end
        case 'help'
            __mfactl_parse_subcommand -r 1 'version'
        end
    end
end

function __mfactl_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __mfactl_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __mfactl_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __mfactl_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__mfactl_tokens -p)
    if test -z "$(__mfactl_tokens -t)"
        set -l index (count (__mfactl_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'mfactl' -f
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl" -eq 1' -fa 'init' -d 'Create a new, empty vault.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl" -eq 1' -fa 'enrol' -d 'Add an authenticator for a user (created if new), or confirm a pending one.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl" -eq 1' -fa 'verify' -d 'Check a code for a user: exit 0 accepted, 1 rejected, 2 locked out.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl" -eq 1' -fa 'code' -d 'Print the current code of a user\'s authenticator, or of a secret or URI.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl" -eq 1' -fa 'users' -d 'List, inspect and manage users.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl" -eq 1' -fa 'vault' -d 'Inspect the vault and manage its key slots.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl init" vault' -l 'vault' -d 'Vault file (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl init" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl init" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl init" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl init" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl init" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl init" ip' -l 'ip' -d 'Client address, recorded on audit events.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl init" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl init" kdf' -l 'kdf' -d 'Argon2id cost of the passphrase slot: interactive (64 MiB), moderate (256 MiB) or sensitive (1 GiB).' -rfka 'interactive moderate sensitive'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl init" generate-key-file' -l 'generate-key-file' -d 'Create a new key file (32 random bytes, mode 0600) and add a slot for it.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl init" no-passphrase' -l 'no-passphrase' -d 'Do not add a passphrase slot (needs a key file).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl init" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl init" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" vault' -l 'vault' -d 'Vault file (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" ip' -l 'ip' -d 'Client address, recorded on audit events.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" confirm' -l 'confirm' -d 'Confirm the pending authenticator with a code from it.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" type' -l 'type' -d 'totp or hotp (default: totp, or the --uri\'s type).' -rfka 'totp hotp'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" algorithm' -l 'algorithm' -d 'SHA1, SHA256 or SHA512 (default: SHA1, or the --uri\'s).' -rfka 'SHA1 SHA256 SHA512'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" digits' -l 'digits' -d 'Code length: 6 or 8 (default: 6, or the --uri\'s).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" period' -l 'period' -d 'TOTP step in seconds (default: 30, or the --uri\'s).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" issuer' -l 'issuer' -d 'Issuer shown in the authenticator app (default: this host\'s name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" label' -l 'label' -d 'Account label shown in the app (default: the user name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" qr' -l 'qr' -d 'QR code on the terminal: utf8, ansi (forced colours) or none (default: utf8 on a terminal, else none).' -rfka 'utf8 ansi none'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" qr-png' -l 'qr-png' -d 'Also write the QR code as a PNG file: it holds the secret, so it is created mode 0600 and never overwrites.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" qr-svg' -l 'qr-svg' -d 'Also write the QR code as an SVG file (mode 0600, never overwrites; it holds the secret).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" qr-scale' -l 'qr-scale' -d 'PNG pixels per module.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" secret' -l 'secret' -d 'Use this base32 secret instead of a random one (\'-\': read it from stdin).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" uri' -l 'uri' -d 'Import an otpauth:// URI (\'-\': read it from stdin).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" activate' -l 'activate' -d 'Make the authenticator active at once, without confirmation.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" id' -l 'id' -d 'With --confirm: the pending authenticator to confirm.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl enrol" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl verify" vault' -l 'vault' -d 'Vault file (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl verify" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl verify" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl verify" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl verify" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl verify" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl verify" ip' -l 'ip' -d 'Client address, recorded on audit events.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl verify" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl verify" window' -l 'window' -d 'TOTP: accept steps within ±N of the centre for this call (default 1, at most 20).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl verify" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl verify" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl code" vault' -l 'vault' -d 'Vault file (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl code" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl code" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl code" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl code" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl code" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl code" ip' -l 'ip' -d 'Client address, recorded on audit events.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl code" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl code" secret' -l 'secret' -d 'Base32 secret (\'-\': read from stdin).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl code" uri' -l 'uri' -d 'otpauth:// URI (\'-\': read from stdin).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl code" algorithm' -l 'algorithm' -d 'With --secret: SHA1, SHA256 or SHA512 (default SHA1).' -rfka 'SHA1 SHA256 SHA512'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl code" digits' -l 'digits' -d 'With --secret: 6 or 8 (default 6).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl code" period' -l 'period' -d 'With --secret: TOTP step in seconds (default 30).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl code" counter' -l 'counter' -d 'With --secret: a HOTP counter instead of TOTP.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl code" id' -l 'id' -d 'With USER: which authenticator.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl code" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl code" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl users" -eq 1' -fa 'list' -d 'List users (JSON: one object per line).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl users" -eq 1' -fa 'show' -d 'Show a user and their authenticators (never secrets).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl users" -eq 1' -fa 'disable' -d 'Disable a user: every verify is rejected until enabled.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl users" -eq 1' -fa 'enable' -d 'Enable a disabled user.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl users" -eq 1' -fa 'unlock' -d 'Clear a user\'s failure count and lockout.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl users" -eq 1' -fa 'remove' -d 'Remove a user, or one of their authenticators (--authenticator ID).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl users" -eq 1' -fa 'resync' -d 'Resynchronise an authenticator from two consecutive codes.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl users" -eq 1' -fa 'diagnose' -d 'Tell how far a device\'s clock is off: where does this code match?'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl users" -eq 1' -fa 'import' -d 'Import authenticators in bulk.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users list" vault' -l 'vault' -d 'Vault file (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users list" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users list" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users list" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users list" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users list" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users list" ip' -l 'ip' -d 'Client address, recorded on audit events.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users list" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users list" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users show" vault' -l 'vault' -d 'Vault file (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users show" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users show" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users show" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users show" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users show" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users show" ip' -l 'ip' -d 'Client address, recorded on audit events.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users show" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users show" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users show" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users disable" vault' -l 'vault' -d 'Vault file (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users disable" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users disable" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users disable" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users disable" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users disable" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users disable" ip' -l 'ip' -d 'Client address, recorded on audit events.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users disable" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users disable" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users disable" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users enable" vault' -l 'vault' -d 'Vault file (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users enable" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users enable" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users enable" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users enable" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users enable" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users enable" ip' -l 'ip' -d 'Client address, recorded on audit events.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users enable" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users enable" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users enable" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users unlock" vault' -l 'vault' -d 'Vault file (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users unlock" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users unlock" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users unlock" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users unlock" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users unlock" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users unlock" ip' -l 'ip' -d 'Client address, recorded on audit events.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users unlock" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users unlock" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users unlock" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users remove" vault' -l 'vault' -d 'Vault file (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users remove" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users remove" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users remove" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users remove" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users remove" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users remove" ip' -l 'ip' -d 'Client address, recorded on audit events.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users remove" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users remove" authenticator' -l 'authenticator' -d 'Remove only this authenticator.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users remove" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users remove" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users resync" vault' -l 'vault' -d 'Vault file (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users resync" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users resync" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users resync" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users resync" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users resync" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users resync" ip' -l 'ip' -d 'Client address, recorded on audit events.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users resync" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users resync" authenticator' -l 'authenticator' -d 'Which authenticator (default: the active ones).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users resync" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users resync" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users diagnose" vault' -l 'vault' -d 'Vault file (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users diagnose" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users diagnose" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users diagnose" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users diagnose" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users diagnose" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users diagnose" ip' -l 'ip' -d 'Client address, recorded on audit events.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users diagnose" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users diagnose" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users diagnose" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users import" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users import" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl users import" -eq 1' -fa 'uris' -d 'Import otpauth URIs, one per line: \'USER<TAB>URI\', or a bare URI whose account label is the user.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users import uris" vault' -l 'vault' -d 'Vault file (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users import uris" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users import uris" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users import uris" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users import uris" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users import uris" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users import uris" ip' -l 'ip' -d 'Client address, recorded on audit events.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users import uris" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users import uris" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl users import uris" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl vault" -eq 1' -fa 'info' -d 'Show the vault header (format, key slots, KDF cost) without unlocking it.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl vault" -eq 1' -fa 'passwd' -d 'Set or change the vault passphrase.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl vault" -eq 1' -fa 'add-key-file' -d 'Add a key-file slot: creates PATH (32 random bytes, 0600) when missing, else enrols that file.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl vault" -eq 1' -fa 'remove-key-file' -d 'Remove a key-file slot: the one PATH opens, or the only one. Never the last slot.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl vault" -eq 1' -fa 'rekey' -d 'Rotate the data key: re-encrypt every record under a new key.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_positional "mfactl vault" -eq 1' -fa 'check' -d 'Decrypt and check every record of the vault (exit 65 naming the problem).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault info" vault' -l 'vault' -d 'Vault file (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault info" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault info" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault info" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault info" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault info" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault info" ip' -l 'ip' -d 'Client address, recorded on audit events.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault info" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault info" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault info" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault passwd" vault' -l 'vault' -d 'Vault file (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault passwd" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault passwd" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault passwd" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault passwd" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault passwd" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault passwd" ip' -l 'ip' -d 'Client address, recorded on audit events.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault passwd" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault passwd" new-passphrase-file' -l 'new-passphrase-file' -d 'Read the new passphrase from the first line of this file.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault passwd" kdf' -l 'kdf' -d 'Argon2id cost of the new slot: interactive (64 MiB), moderate (256 MiB) or sensitive (1 GiB).' -rfka 'interactive moderate sensitive'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault passwd" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault passwd" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault add-key-file" vault' -l 'vault' -d 'Vault file (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault add-key-file" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault add-key-file" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault add-key-file" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault add-key-file" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault add-key-file" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault add-key-file" ip' -l 'ip' -d 'Client address, recorded on audit events.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault add-key-file" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault add-key-file" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault add-key-file" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault remove-key-file" vault' -l 'vault' -d 'Vault file (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault remove-key-file" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault remove-key-file" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault remove-key-file" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault remove-key-file" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault remove-key-file" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault remove-key-file" ip' -l 'ip' -d 'Client address, recorded on audit events.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault remove-key-file" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault remove-key-file" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault remove-key-file" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault rekey" vault' -l 'vault' -d 'Vault file (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault rekey" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault rekey" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault rekey" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault rekey" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault rekey" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault rekey" ip' -l 'ip' -d 'Client address, recorded on audit events.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault rekey" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault rekey" also-key-file' -l 'also-key-file' -d 'Also keep this key file\'s slot.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault rekey" also-passphrase-file' -l 'also-passphrase-file' -d 'Also keep a passphrase slot with the passphrase in this file.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault rekey" drop-other-slots' -l 'drop-other-slots' -d 'Drop the slots whose secret was not given.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault rekey" kdf' -l 'kdf' -d 'Argon2id cost of rewrapped passphrase slots.' -rfka 'interactive moderate sensitive'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault rekey" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault rekey" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault check" vault' -l 'vault' -d 'Vault file (default: $MFACTL_VAULT, else $XDG_DATA_HOME/mfactl/vault.mfa).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault check" key-file' -l 'key-file' -d 'Unlock with this key file (or $MFACTL_KEY_FILE).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault check" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase from the first line of this file (or $MFACTL_PASSPHRASE_FILE).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault check" format' -l 'format' -d 'Output format: text or json.' -rfka 'text json'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault check" quiet' -l 'quiet' -d 'Print only what scripts need (errors still go to stderr).'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault check" actor' -l 'actor' -d 'Who is acting, for the audit log (default: $SUDO_USER, else the login name).' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault check" ip' -l 'ip' -d 'Client address, recorded on audit events.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault check" user-agent' -l 'user-agent' -d 'Client user agent, recorded on audit events.' -rfka ''
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault check" version' -l 'version' -d 'Show the version.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl vault check" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mfactl' -n '__mfactl_should_offer_completions_for_flags_or_options "mfactl help" version' -l 'version' -d 'Show the version.'

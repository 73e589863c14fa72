// Shared library step: other repositories run one Gantry phase (or a stage selection) in one line.
//
//   @Library('gantry') _
//   gantry phase: 'verify'
//   gantry phase: 'release', credentials: [string(credentialsId: 'cosign-password', variable: 'COSIGN_PASSWORD')]
//   gantry only: 'build,sign'
//
// Arguments: phase, only, from, until (as for `gantry run`), config (gantry.yaml path),
// credentials (withCredentials bindings), command (how gantry is started; default 'npx gantry').

/** Runs `gantry run` with the given selection, secrets bound as environment variables. */
def call(Map args = [:]) {
    List<String> argv = ['run']
    Map<String, String> flags = [phase: '--phase', only: '--only', from: '--from', until: '--until', config: '--config']
    flags.each { String key, String flag ->
        if (args[key]) {
            argv << flag << checkedValue(key, args[key].toString())
        }
    }
    String command = args.command ?: 'npx gantry'
    String script = "${command} ${argv.join(' ')}"
    List bindings = args.credentials ?: []
    if (bindings) {
        withCredentials(bindings) {
            sh(script: script, label: "gantry ${argv.join(' ')}")
        }
    } else {
        sh(script: script, label: "gantry ${argv.join(' ')}")
    }
}

/** Values end up in a shell command: only stage, phase and path characters are allowed. */
private String checkedValue(String key, String value) {
    if (!(value ==~ /[A-Za-z0-9_.,\/-]+/)) {
        error("gantry: ${key} '${value}' has characters other than letters, digits and _ . , / -")
    }
    return value
}

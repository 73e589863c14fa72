// Gantry's Jenkins shared library step: runs one phase of the repository's pipeline (pipeline/main.ts) with
// the Gantry version the repository has locked. The Jenkinsfile `gantry ci generate jenkins` writes calls it:
//
//   library(identifier: 'gantry@<tag>', retriever: modernSCM([$class: 'GitSCMSource', remote: '<gantry git>']))
//   ...
//   gantry(phase: 'verify', noPublish: env.CHANGE_ID != null)
//   gantry(phase: 'release', lock: 'gantry-deploy-staging',
//          credentials: [string(credentialsId: 'gantry-registry-password', variable: 'REGISTRY_PASSWORD')])
//   gantry(phase: 'approve', approver: env.APPROVER)      // inside a stage gated by input { submitter … }
//   gantry(alwaysOnly: true)                              // in post { always { } }
//
// With the library registered by an admin (Manage Jenkins → Global Pipeline Libraries), `@Library('gantry@<tag>') _`
// at the top of the Jenkinsfile replaces the library(...) line.
//
// Arguments: phase, only, from, until, config (as for `gantry run`); noPublish, skipAlways, alwaysOnly (flags);
// approver (the input's submitterParameter value, recorded as the approver); lock (a Lockable Resources name);
// credentials (withCredentials bindings); command (how gantry is started; default 'npx --no-install gantry').

/** Runs `gantry run` with the given selection, secrets bound as environment variables for this call only. */
def call(Map args = [:]) {
    List<String> argv = ['run']
    Map<String, String> options = [phase: '--phase', only: '--only', from: '--from', until: '--until', config: '--config']
    options.each { String key, String flag ->
        if (args[key]) {
            argv << flag << checkedValue(key, args[key].toString())
        }
    }
    Map<String, String> flags = [noPublish: '--no-publish', skipAlways: '--skip-always', alwaysOnly: '--always-only']
    flags.each { String key, String flag ->
        if (args[key]) {
            argv << flag
        }
    }
    String command = args.command ?: 'npx --no-install gantry'
    List<String> environment = args.approver ? ["GANTRY_APPROVER=${checkedValue('approver', args.approver.toString())}"] : []
    Closure run = {
        withEnv(environment) {
            // Single-quoted shell words only: secrets stay in the environment, Groovy never interpolates them.
            sh(script: "${command} ${argv.join(' ')}", label: "gantry ${argv.join(' ')}")
        }
    }
    Closure locked = args.lock ? { lock(resource: checkedValue('lock', args.lock.toString())) { run() } } : run
    List bindings = args.credentials ?: []
    if (bindings) {
        withCredentials(bindings) { locked() }
    } else {
        locked()
    }
}

/** Values end up in a shell command: only stage, phase, user and path characters are allowed. */
private String checkedValue(String key, String value) {
    if (!(value ==~ /[A-Za-z0-9_.,@\/-]+/)) {
        error("gantry: ${key} '${value}' has characters other than letters, digits and _ . , @ / -")
    }
    return value
}

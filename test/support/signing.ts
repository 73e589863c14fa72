/** Key-mode signing with a separate approval key, as a release on CI configures it (issue 11). */
export const KEY_SIGNING = {
  mode: 'key',
  key: 'env://COSIGN_KEY',
  password: 'env://COSIGN_PASSWORD',
  publicKey: 'policies/kyverno/cosign.pub',
  approval: {
    mode: 'key',
    key: 'env://GANTRY_APPROVAL_KEY',
    password: 'env://GANTRY_APPROVAL_PASSWORD',
    publicKey: 'policies/kyverno/approval.pub',
  },
} as const;

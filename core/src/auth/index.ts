/** Staff admin sign-in: accounts, one-time links, passwords, sessions, rate limits, roles. */
export { AuthService, AUTH_POLICY, toAccountView } from "./auth.service.js";
export type { AccountView, AuthContext, RateLimitedDetails, SessionGrant, SignInLinkGrant } from "./auth.types.js";
export { can, PERMISSIONS, ROLE_PERMISSIONS, type Permission, type StaffRole } from "./permissions.js";
export { passwordSchema, PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH, hashPassword, verifyPassword } from "./password.js";
export { hashToken, isTokenShaped, newToken } from "./tokens.js";
export { prepareOwnerAccess, defaultOwnerEmail, type OwnerAccess } from "./owner-access.js";

/**
 * What the `hookflow` CLI needs to manage accounts on a local database (through
 * `app.get(UsersService)` etc. on an app built by createApp), and the names other modules use.
 */
export { UsersService, type UserView } from './users.service';
export { SessionsService } from './sessions.service';
export { ApiKeysService, type ApiKeyView, type CreateKeyInput } from '../auth/api-keys.service';
export { AuditService, type AuditRecord, type AuditEntryView } from '../audit/audit.service';
export { LOCAL_PRINCIPAL } from '../auth/authenticator';
export {
  Public,
  RequireScope,
  hasScope,
  IS_PUBLIC,
  OPEN_ROUTES,
  REQUIRED_SCOPE,
} from '../auth/scopes';
export { CurrentPrincipal, principalOf, type Principal, type Scope } from '../auth/principal';

import * as oauth from 'oauth4webapi'
import { httpOptions } from './http.js'
/**
 * UserInfo claims for `sub`; an answer about another subject is refused (OIDC Core §5.3.2).
 * A separate chunk: only apps with `fetchUserInfo` load it.
 */
export async function fetchUserInfo(cfg, as, client, sub, accessToken, DPoP) {
  return oauth.processUserInfoResponse(
    as,
    client,
    sub,
    await oauth.userInfoRequest(as, client, accessToken, httpOptions(cfg, DPoP)),
  )
}
//# sourceMappingURL=userinfo.js.map

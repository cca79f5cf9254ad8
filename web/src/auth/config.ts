/** `GET /auth/config`: how this server's web app signs in, and what its answers may link to. */
import { configureDocumentViewer } from '../chat/documentLinks';
import { configureAnswerLinks } from '../chat/markdown';
import { SignInError } from './errors';

/** What `GET /auth/config` answers. */
export interface AuthConfig {
  issuer: string;
  client_id: string;
  scope: string;
  redirect_path: string;
  /** Hosts whose links in answers are clickable (`.example.fr`: its subdomains). */
  link_hosts?: string[];
  /** Cited documents open in the app's viewer (the embedded tenant's SharePoint links open nothing). */
  document_viewer?: boolean;
}

/**
 * Read the configuration and apply its display settings.
 *
 * @throws SignInError `configuration_unavailable` when the server does not answer it.
 */
export async function fetchAuthConfig(fetchImpl: typeof fetch = fetch): Promise<AuthConfig> {
  let response: Response;
  try {
    response = await fetchImpl('/auth/config', { headers: { Accept: 'application/json' } });
  } catch (error) {
    throw new SignInError('configuration_unavailable', `/auth/config: ${String(error)}`);
  }
  if (!response.ok) {
    throw new SignInError('configuration_unavailable', `/auth/config: HTTP ${response.status}`);
  }
  const config = (await response.json()) as AuthConfig;
  configureAnswerLinks(config.link_hosts ?? []);
  configureDocumentViewer(config.document_viewer ?? false);
  return config;
}

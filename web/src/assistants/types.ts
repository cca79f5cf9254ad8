/**
 * The assistants API's shapes (`/api/assistants`) and the knowledge documents of an assistant's
 * collection (`/api/knowledge/{collection}/documents`), generated from `/openapi.json`.
 */
import type * as schema from '../api/schema';
import type { Sent } from '../api/sent';

export type { DataClass } from '../api/schema';

export type Assistant = Sent<schema.Assistant>;
export type Author = Sent<schema.Author>;
export type Issue = Sent<schema.Issue>;
export type Option = Sent<schema.Option>;
export type EditorOptions = Sent<schema.EditorOptions>;
export type KnowledgeDocument = Sent<schema.KnowledgeDocument>;

/** Who may use an assistant (`Assistant.audience`). */
export type Audience = Sent<schema.ServerAssistantsSchemasAudience>;

/**
 * What `POST` (`AssistantIn`) and `PUT` (`AssistantUpdate`) take: a whole definition, every field
 * given (each save is a new version); `id` only when creating.
 */
export type AssistantInput = Omit<Sent<schema.AssistantIn>, 'id'> & Pick<schema.AssistantIn, 'id'>;

/** The assistants API's shapes (`/api/assistants`) and part B's knowledge documents. */

export type DataClass = 'public' | 'internal' | 'personal' | 'health';

export interface Audience {
  roles: string[];
  services: string[];
}

export interface Issue {
  kind: 'model_not_allowed' | 'tool_not_available';
  name: string;
  detail: string;
}

export interface Author {
  id: string;
  display_name: string;
  email: string;
}

export interface Assistant {
  id: string;
  version: number;
  name: string;
  description: string;
  instructions: string;
  data_class: DataClass;
  models: string[];
  tools: string[];
  workflows: string[];
  knowledge: string | null;
  contact: string;
  starter_prompts: string[];
  audience: Audience;
  builtin: boolean;
  author: Author | null;
  created_at: string;
  updated_at: string;
  can_edit: boolean;
  issues: Issue[];
}

/** What `POST` / `PUT` take: a whole definition (each save is a new version). */
export interface AssistantInput {
  id?: string;
  name: string;
  description: string;
  instructions: string;
  data_class: DataClass;
  models: string[];
  tools: string[];
  workflows: string[];
  contact: string;
  starter_prompts: string[];
  audience: Audience;
}

export interface Option {
  id: string;
  label: string;
}

export interface EditorOptions {
  models: Option[];
  tools: Option[];
  workflows: Option[];
  data_classes: Option[];
  roles: string[];
  services: string[];
}

/** A document of an assistant's knowledge collection (part B: `/api/knowledge/{collection}/documents`). */
export interface KnowledgeDocument {
  id: string;
  filename: string;
  status?: string;
  pages?: number | null;
  chunks?: number | null;
  error?: string | null;
  created_at?: string;
}

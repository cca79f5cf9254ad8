import { Route, Routes } from 'react-router-dom';
import { AssistantEditor } from './AssistantEditor';
import { Gallery } from './Gallery';

/** The Assistants app: the gallery at `/assistants`, the editor at `/assistants/nouveau` and `/assistants/:id`. */
export function AssistantsPage() {
  return (
    <Routes>
      <Route index element={<Gallery />} />
      <Route path="nouveau" element={<AssistantEditor />} />
      <Route path=":assistantId" element={<AssistantEditor />} />
    </Routes>
  );
}

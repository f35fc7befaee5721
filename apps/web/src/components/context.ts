/** The app model, provided once by main.tsx and read by every component. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { AppModel } from '../models/app-model.ts';

export const AppContext = createContext<AppModel | null>(null);

export function useApp(): AppModel {
  const app = useContext(AppContext);
  if (!app) throw new Error('AppContext missing');
  return app;
}

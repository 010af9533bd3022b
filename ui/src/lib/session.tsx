/**
 * The API key: entered once, kept in this tab's session storage only (never local storage, never a
 * cookie), and the one typed client of shared/api built on it.
 */
import { useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { createClient, type ApiClient } from "../../../shared/api/client";
import { useI18n } from "./i18n";

const STORAGE_KEY = "dareg.apiKey";

function readKey(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

interface Session {
  apiKey: string | null;
  signIn(key: string): void;
  signOut(): void;
  api: ApiClient;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [apiKey, setKey] = useState<string | null>(readKey);
  const { lang } = useI18n();
  const queryClient = useQueryClient();
  const signIn = useCallback(
    (key: string) => {
      try {
        sessionStorage.setItem(STORAGE_KEY, key);
      } catch {
        // kept in memory for this page only
      }
      queryClient.clear();
      setKey(key);
    },
    [queryClient],
  );
  const signOut = useCallback(() => {
    try {
      sessionStorage.removeItem(STORAGE_KEY);
    } catch {
      // nothing stored
    }
    queryClient.clear();
    setKey(null);
  }, [queryClient]);
  const api = useMemo(() => createClient({ baseUrl: window.location.origin, apiKey: apiKey ?? undefined, lang }), [apiKey, lang]);
  const value = useMemo(() => ({ apiKey, signIn, signOut, api }), [apiKey, signIn, signOut, api]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const v = useContext(SessionContext);
  if (!v) throw new Error("useSession outside SessionProvider");
  return v;
}

export const useApi = () => useSession().api;

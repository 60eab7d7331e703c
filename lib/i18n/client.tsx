"use client";

import { createContext, useContext, useMemo } from "react";
import { translate, type Locale, type MessageKey, type Messages } from "./messages";

const I18nContext = createContext<{ locale: Locale; messages: Messages } | undefined>(undefined);

export function I18nProvider({ locale, messages, children }: { locale: Locale; messages: Messages; children: React.ReactNode }) {
  const value = useMemo(() => ({ locale, messages }), [locale, messages]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n() {
  const context = useContext(I18nContext);
  if (!context) throw new Error("useI18n outside I18nProvider");
  const { locale, messages } = context;
  return { locale, t: (key: MessageKey, values?: Record<string, string | number>) => translate(messages, key, values) };
}

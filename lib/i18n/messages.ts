/** Every string the UI shows, in Korean and English (docs/ui.md). Keys are shared. */
const en = {
  appName: "AInfo Chat",
  newChat: "New chat",
  defaultRoomTitle: "New chat",
  notFoundPage: "Page not found",
  notFoundPageBody: "There is nothing at this address. It may have moved, or the link may be mistyped.",
  saving: "Saving…",
  copyCode: "Copy code",
  replyFailed: "No reply",
  search: "Search chats",
  chats: "Chats",
  searchPlaceholder: "Search titles and messages",
  clearSearch: "Clear search",
  noResults: "No chats match.",
  noRooms: "No chats yet. Start one!",
  today: "Today",
  yesterday: "Yesterday",
  previous7Days: "Previous 7 days",
  older: "Older",
  loadMore: "Show more",
  roomMenu: "Options for {title}",
  rename: "Rename",
  delete: "Delete",
  renameLabel: "New title",
  titleBlank: "The title cannot be empty.",
  titleTooLong: "The title can have at most 100 characters.",
  deleteTitle: "Delete chat?",
  deleteBody: "“{title}” and all its messages will be deleted. This cannot be undone.",
  cancel: "Cancel",
  openSidebar: "Open sidebar",
  closeSidebar: "Close sidebar",
  settings: "Settings",
  signOut: "Sign out",
  signIn: "Sign in",
  signUp: "Sign up",
  createAccount: "Create account",
  email: "Email",
  password: "Password",
  name: "Name",
  noAccount: "No account yet?",
  haveAccount: "Already have an account?",
  wrongCredentials: "Wrong email or password.",
  oauthNotLinked:
    "An account with this email already exists. Sign in with its password (an account with a password is never joined to a sign-in from another provider).",
  oauthEmailUnverified: "Your provider has not verified this email address, so it cannot be used to sign in here.",
  oauthRegistrationClosed: "New accounts cannot be created here. Sign in with an existing account.",
  oauthFailed: "Signing in with that provider did not work. Try again.",
  signInTitle: "Welcome back",
  signUpTitle: "Create your account",
  orContinueWith: "or continue with",
  continueWith: "Continue with {provider}",
  tagline: "Talk to a bot in rooms that remember.",
  composerPlaceholder: "Message AInfo…",
  composerHintKeyboard: "Enter sends, Shift+Enter adds a new line.",
  composerHintTouch: "Enter adds a new line; the Send button sends.",
  composerLabel: "Message",
  send: "Send",
  stop: "Stop",
  regenerate: "Regenerate",
  copy: "Copy",
  copied: "Copied",
  you: "You",
  bot: "AInfo",
  stopped: "Stopped",
  loadingOlder: "Loading older messages…",
  emptyTitle: "What can I help with?",
  starters: "Plan a 3-day trip to Jeju|Explain keyset pagination simply|Write a haiku about Postgres|Summarise the rules of Go",
  thinking: "Thinking…",
  errorModel: "The model could not answer: {detail}",
  errorOffline: "You are offline. Your message was kept; send it again when you are back online.",
  errorRateLimited: "Too many requests. Try again in {seconds} s.",
  errorSession: "Your session has expired. Sign in again.",
  errorGeneric: "Something went wrong: {detail}",
  dismiss: "Dismiss",
  retry: "Retry",
  tokens: "API tokens",
  tokensHelp: "Personal tokens for REST clients: send them as {header}.",
  tokenName: "Token name",
  tokenPlaceholder: "token",
  createToken: "Create token",
  tokenCreated: "Copy your new token now. It will not be shown again.",
  tokenColumnName: "Name",
  tokenColumnCreated: "Created",
  tokenColumnLastUsed: "Last used",
  never: "Never",
  revoke: "Revoke",
  revokeConfirm: "Revoke “{name}”? Clients using it will stop working.",
  noTokens: "No tokens yet.",
  language: "Language",
  theme: "Theme",
  themeSystem: "System",
  themeLight: "Light",
  themeDark: "Dark",
  account: "Account",
  signOutEverywhere: "Sign out everywhere",
  backToChat: "Back to chat",
  notFoundTitle: "This chat does not exist.",
  skipToContent: "Skip to content",
  changePassword: "Change password",
  passwordHelp: "Changing it signs you out on every other device and deletes your API tokens.",
  currentPassword: "Current password",
  newPassword: "New password",
  confirmNewPassword: "Confirm new password",
  passwordsDiffer: "The new passwords do not match.",
  passwordRules: "Use 8 to 256 characters.",
  wrongPassword: "The password is not correct.",
  passwordChanged: "Password changed. Your other sessions were signed out and your API tokens were deleted.",
  errorTooManyAttempts: "Too many attempts. Try again in {wait}.",
  errorBusy: "The server is busy. Try again in a moment.",
  waitSeconds: "{n} s",
  waitMinutes: "{n} min",
  tooManyTokens: "You have 100 API tokens, the most allowed. Revoke one you no longer use first.",
} as const;

export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;

const ko: Messages = {
  appName: "AInfo Chat",
  newChat: "새 채팅",
  defaultRoomTitle: "새 채팅",
  notFoundPage: "페이지를 찾을 수 없습니다",
  notFoundPageBody: "이 주소에는 아무것도 없습니다. 옮겨졌거나 주소가 잘못 입력되었을 수 있습니다.",
  saving: "저장 중…",
  copyCode: "코드 복사",
  replyFailed: "답변 없음",
  search: "채팅 검색",
  chats: "채팅 목록",
  searchPlaceholder: "제목과 메시지 검색",
  clearSearch: "검색 지우기",
  noResults: "일치하는 채팅이 없습니다.",
  noRooms: "아직 채팅이 없습니다. 새로 시작해 보세요!",
  today: "오늘",
  yesterday: "어제",
  previous7Days: "지난 7일",
  older: "이전",
  loadMore: "더 보기",
  roomMenu: "{title} 옵션",
  rename: "이름 바꾸기",
  delete: "삭제",
  renameLabel: "새 제목",
  titleBlank: "제목은 비워 둘 수 없습니다.",
  titleTooLong: "제목은 100자까지 쓸 수 있습니다.",
  deleteTitle: "채팅을 삭제할까요?",
  deleteBody: "“{title}”와(과) 모든 메시지가 삭제됩니다. 되돌릴 수 없습니다.",
  cancel: "취소",
  openSidebar: "사이드바 열기",
  closeSidebar: "사이드바 닫기",
  settings: "설정",
  signOut: "로그아웃",
  signIn: "로그인",
  signUp: "회원가입",
  createAccount: "계정 만들기",
  email: "이메일",
  password: "비밀번호",
  name: "이름",
  noAccount: "계정이 없으신가요?",
  haveAccount: "이미 계정이 있으신가요?",
  wrongCredentials: "이메일 또는 비밀번호가 올바르지 않습니다.",
  oauthNotLinked:
    "이 이메일로 만든 계정이 이미 있습니다. 그 계정의 비밀번호로 로그인하세요 (비밀번호가 있는 계정은 다른 로그인 방법과 연결되지 않습니다).",
  oauthEmailUnverified: "로그인 서비스에서 이 이메일 주소가 인증되지 않아 로그인할 수 없습니다.",
  oauthRegistrationClosed: "이곳에서는 새 계정을 만들 수 없습니다. 기존 계정으로 로그인하세요.",
  oauthFailed: "해당 서비스로 로그인하지 못했습니다. 다시 시도하세요.",
  signInTitle: "다시 오신 것을 환영합니다",
  signUpTitle: "계정 만들기",
  orContinueWith: "또는 다음으로 계속",
  continueWith: "{provider}로 계속",
  tagline: "기억하는 채팅방에서 봇과 대화하세요.",
  composerPlaceholder: "AInfo에게 메시지 보내기…",
  composerHintKeyboard: "Enter로 보내고 Shift+Enter로 줄을 바꿉니다.",
  composerHintTouch: "Enter로 줄을 바꾸고 보내기 버튼으로 보냅니다.",
  composerLabel: "메시지",
  send: "보내기",
  stop: "중지",
  regenerate: "다시 생성",
  copy: "복사",
  copied: "복사됨",
  you: "나",
  bot: "AInfo",
  stopped: "중지됨",
  loadingOlder: "이전 메시지 불러오는 중…",
  emptyTitle: "무엇을 도와드릴까요?",
  starters: "제주도 2박 3일 여행 계획 짜 줘|키셋 페이지네이션을 쉽게 설명해 줘|Postgres에 관한 하이쿠를 써 줘|바둑 규칙을 요약해 줘",
  thinking: "생각 중…",
  errorModel: "모델이 답하지 못했습니다: {detail}",
  errorOffline: "오프라인입니다. 메시지는 그대로 남겨 두었으니 연결되면 다시 보내 주세요.",
  errorRateLimited: "요청이 너무 많습니다. {seconds}초 후에 다시 시도하세요.",
  errorSession: "세션이 만료되었습니다. 다시 로그인하세요.",
  errorGeneric: "문제가 발생했습니다: {detail}",
  dismiss: "닫기",
  retry: "다시 시도",
  tokens: "API 토큰",
  tokensHelp: "REST 클라이언트용 개인 토큰입니다. {header} 헤더로 보내세요.",
  tokenName: "토큰 이름",
  tokenPlaceholder: "토큰",
  createToken: "토큰 만들기",
  tokenCreated: "새 토큰을 지금 복사하세요. 다시 표시되지 않습니다.",
  tokenColumnName: "이름",
  tokenColumnCreated: "만든 날",
  tokenColumnLastUsed: "마지막 사용",
  never: "없음",
  revoke: "폐기",
  revokeConfirm: "“{name}” 토큰을 폐기할까요? 이 토큰을 쓰는 클라이언트가 동작을 멈춥니다.",
  noTokens: "아직 토큰이 없습니다.",
  language: "언어",
  theme: "테마",
  themeSystem: "시스템",
  themeLight: "라이트",
  themeDark: "다크",
  account: "계정",
  signOutEverywhere: "모든 기기에서 로그아웃",
  backToChat: "채팅으로 돌아가기",
  notFoundTitle: "존재하지 않는 채팅입니다.",
  skipToContent: "본문으로 건너뛰기",
  changePassword: "비밀번호 변경",
  passwordHelp: "비밀번호를 바꾸면 다른 모든 기기에서 로그아웃되고 API 토큰이 삭제됩니다.",
  currentPassword: "현재 비밀번호",
  newPassword: "새 비밀번호",
  confirmNewPassword: "새 비밀번호 확인",
  passwordsDiffer: "새 비밀번호가 서로 다릅니다.",
  passwordRules: "8~256자로 입력하세요.",
  wrongPassword: "비밀번호가 올바르지 않습니다.",
  passwordChanged: "비밀번호를 바꿨습니다. 다른 기기의 로그인은 모두 끝났고 API 토큰은 삭제되었습니다.",
  errorTooManyAttempts: "시도가 너무 많습니다. {wait} 후에 다시 시도하세요.",
  errorBusy: "서버가 바쁩니다. 잠시 후 다시 시도하세요.",
  waitSeconds: "{n}초",
  waitMinutes: "{n}분",
  tooManyTokens: "API 토큰은 100개까지 만들 수 있습니다. 쓰지 않는 토큰을 먼저 폐기하세요.",
};

export const LOCALES = ["ko", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const MESSAGES: Record<Locale, Messages> = { ko, en };

/**
 * The title a room is shown with. New rooms are stored as `새 채팅` (docs/data-model.md#migrations; the API returns
 * it as stored); the UI shows that default in the user's language.
 */
export const STORED_DEFAULT_ROOM_TITLE = "새 채팅";
export function displayRoomTitle(title: string, t: (key: "defaultRoomTitle") => string) {
  return title === STORED_DEFAULT_ROOM_TITLE ? t("defaultRoomTitle") : title;
}

/** `t("roomMenu", { title })` — fills `{name}` placeholders. */
export function translate(messages: Messages, key: MessageKey, values?: Record<string, string | number>) {
  const text = messages[key];
  return values ? text.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`)) : text;
}

/** The best of our locales for an Accept-Language header; Korean if it ranks first. */
export function localeFromAcceptLanguage(header: string | null | undefined): Locale {
  const ranked = (header ?? "")
    .split(",")
    .map((part) => {
      const [tag, ...params] = part.trim().toLowerCase().split(";");
      const q = Number(params.find((p) => p.trim().startsWith("q="))?.split("=")[1] ?? 1);
      return { tag: tag ?? "", q: Number.isNaN(q) ? 0 : q };
    })
    .filter((entry) => entry.tag)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    const base = tag.split("-")[0];
    if (base === "ko" || base === "en") return base;
  }
  return "en";
}

/** "Try again in …" for a Retry-After: seconds under two minutes, else whole minutes. */
export function waitText(t: (key: MessageKey, values?: Record<string, string | number>) => string, seconds: number) {
  const s = Math.max(1, Math.ceil(seconds));
  return s < 120 ? t("waitSeconds", { n: s }) : t("waitMinutes", { n: Math.ceil(s / 60) });
}

import { expect, newAccount, signUp, test } from "./fixtures";

test("a visitor is sent to sign in and comes back where they were going", async ({ page }) => {
  await page.goto("/chat");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);
});

test("sign up lands in the chat app; wrong password is refused inline", async ({ page }) => {
  const account = await signUp(page, newAccount("auth"));
  await expect(page).toHaveURL(/\/chat/);
  await page.context().clearCookies();
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: /^sign in$|^로그인$/i }).click();
  await expect(page.getByRole("alert")).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);
});

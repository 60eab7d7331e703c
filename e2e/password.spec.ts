import { alerts, apiToken, expect, restCall, stackDetails, test } from "./fixtures";

const NEW_PASSWORD = "a brand new password";

test("changing the password: this browser stays signed in, other sessions and API tokens end, only the new password signs in", async ({
  page,
  browser,
  account,
}) => {
  // A second device, signed in with the same account, and a REST client's token.
  const other = await browser.newContext({ baseURL: stackDetails().baseUrl });
  const otherPage = await other.newPage();
  await otherPage.goto("/sign-in");
  await otherPage.getByLabel("Email").fill(account.email);
  await otherPage.getByLabel("Password").fill(account.password);
  await otherPage.getByRole("button", { name: "Sign in" }).click();
  await otherPage.waitForURL(/\/chat/);
  const token = await apiToken(account);
  expect((await restCall(token, "GET", "/auth/me/")).status).toBe(200);

  await page.goto("/settings");
  await expect(page.getByRole("row", { name: /e2e/ })).toBeVisible();
  const form = page.getByRole("region", { name: "Change password" });

  // A wrong current password is refused on the form, nothing changes.
  await form.getByLabel("Current password").fill("not my password");
  await form.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
  await form.getByLabel("Confirm new password").fill(NEW_PASSWORD);
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByText("The password is not correct.")).toBeVisible();
  await expect(form.getByLabel("Current password")).toHaveAttribute("aria-invalid", "true");

  // Mistyped confirmation: caught before anything is sent.
  await form.getByLabel("Current password").fill(account.password);
  await form.getByLabel("Confirm new password").fill(`${NEW_PASSWORD}!`);
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByText("The new passwords do not match.")).toBeVisible();

  await form.getByLabel("Confirm new password").fill(NEW_PASSWORD);
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByRole("status")).toHaveText(
    "Password changed. Your other sessions were signed out and your API tokens were deleted.",
  );
  await expect(page.getByText("No tokens yet.")).toBeVisible();
  expect((await restCall(token, "GET", "/auth/me/")).status).toBe(401);

  // This browser is still signed in.
  await page.goto("/chat");
  await expect(page).toHaveURL(/\/chat$/);
  await page.goto("/settings");
  await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();

  // The other device is signed out.
  await otherPage.goto("/settings");
  await expect(otherPage).toHaveURL(/\/sign-in/);

  // There, the old password no longer signs in; the new one does.
  await otherPage.getByLabel("Email").fill(account.email);
  await otherPage.getByLabel("Password").fill(account.password);
  await otherPage.getByRole("button", { name: "Sign in" }).click();
  await expect(alerts(otherPage)).toHaveText("Wrong email or password.");
  await otherPage.getByLabel("Email").fill(account.email); // the form starts over after a refusal
  await otherPage.getByLabel("Password").fill(NEW_PASSWORD);
  await otherPage.getByRole("button", { name: "Sign in" }).click();
  await otherPage.waitForURL(/\/chat$/);
  await otherPage.goto("/settings");
  await expect(otherPage.getByRole("heading", { name: "Settings" })).toBeVisible();
  await other.close();
});

test("an account locked by failed passwords: the sign-in form says when to try again", async ({ page, account }) => {
  await page.context().clearCookies();
  // Someone guesses, from anywhere: the account's failures run out (10 per 15 minutes).
  for (let i = 0; i < 10; i++) {
    const res = await fetch(`${stackDetails().baseUrl}/api/chatbot/auth/token/`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: account.email, password: `wrong guess ${i}` }),
    });
    expect(res.status).toBe(400);
  }
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(alerts(page)).toHaveText(/^Too many attempts\. Try again in 1[45] min\.$/);
  await expect(page).toHaveURL(/\/sign-in/);
});

test("Settings refuses a 101st API token with a clear message", async ({ page, account }) => {
  // The most allowed, through the API (signing up makes none; apiToken makes one each).
  for (let batch = 0; batch < 20; batch++) await Promise.all(Array.from({ length: 5 }, () => apiToken(account)));
  await page.goto("/settings");
  await page.getByLabel("Token name").fill("one too many");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(alerts(page)).toHaveText(/You have 100 API tokens, the most allowed\./);
  await expect(page.getByTestId("new-token")).toHaveCount(0);
});

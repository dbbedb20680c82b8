import { Body, Controller, Get, HttpCode, Ip, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { LoginResponse, UserDto } from '../contracts/api.js';
import type { AuthUser } from './auth-user.js';
import { AUTH_COOKIE } from './auth.cookie.js';
import { LoginBody } from './auth.dto.js';
import { AuthService } from './auth.service.js';
import { CurrentUser, Public } from './decorators.js';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(private readonly service: AuthService) {}

  /** Answers the token in the body (for API clients) and sets it as an HttpOnly cookie (for browser downloads). */
  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiUnauthorizedResponse({ description: 'Wrong email or password' })
  @ApiTooManyRequestsResponse({ description: 'Too many failed attempts from this address (for this account); Retry-After says when to retry' })
  async login(@Body() body: LoginBody, @Ip() ip: string, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<LoginResponse> {
    const result = await this.service.login(body, ip);
    // Secure whenever the login came over HTTPS (directly, or through a trusted proxy that says so).
    res.cookie(AUTH_COOKIE, result.accessToken, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/', maxAge: result.expiresIn * 1000 });
    return result;
  }

  /** Ends the session: this account's tokens stop working everywhere, its open live sockets are closed. */
  @Post('logout')
  @Public()
  @HttpCode(204)
  async logout(@CurrentUser() user: AuthUser | undefined, @Res({ passthrough: true }) res: Response): Promise<void> {
    res.clearCookie(AUTH_COOKIE, { path: '/' });
    if (user) await this.service.logout(user);
  }

  @Get('me')
  @ApiBearerAuth()
  me(@CurrentUser() user: AuthUser): Promise<UserDto> {
    return this.service.me(user);
  }
}

import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AppConfig } from '../config/app.config.js';
import { SchoolsModule } from '../schools/schools.module.js';
import { UsersService } from '../schools/users.service.js';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { Authenticator } from './authenticator.js';
import { AuthService } from './auth.service.js';
import { resolveJwtSecret } from './jwt-secret.js';
import { LoginAttempts } from './login-attempts.js';
import { PasswordHasher } from './password.hasher.js';
import { TokenService } from './token.service.js';

@Module({
  imports: [
    SchoolsModule,
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        secret: resolveJwtSecret(config),
        signOptions: { expiresIn: config.JWT_TTL_SECONDS, issuer: 'tongke' },
        verifyOptions: { issuer: 'tongke' },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [
    TokenService,
    Authenticator,
    { provide: LoginAttempts, inject: [AppConfig], useFactory: (config: AppConfig) => new LoginAttempts(config) },
    {
      provide: AuthService,
      inject: [UsersService, PasswordHasher, TokenService, LoginAttempts, AppConfig],
      useFactory: (users: UsersService, hasher: PasswordHasher, tokens: TokenService, attempts: LoginAttempts, config: AppConfig) =>
        new AuthService(users, hasher, tokens, attempts, config.JWT_TTL_SECONDS),
    },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [TokenService, Authenticator],
})
export class AuthModule {}

import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsIn, IsObject } from 'class-validator';
import { IsCleanText } from '../../common/is-clean-text.decorator.js';
import { IsName } from '../../common/validation.js';
import { CHANNEL_TYPES, type ChannelType } from '../channel-config.js';

const CONFIG_DESCRIPTION =
  'By type: webhook `{url, secret?}`, slack and discord `{url}` (incoming-webhook URL), ntfy `{url, token?}` (topic URL), ' +
  'email `{to: [address, …]}` (needs SMTP_URL). URLs are http or https and must not point to a loopback, link-local or ' +
  'unspecified address. On PATCH, a masked value sent back as answered keeps the stored one.';

export class CreateChannelDto {
  @ApiProperty({ example: 'On-call webhook', maxLength: 100 })
  @IsName(100)
  @IsCleanText()
  name: string;

  @ApiProperty({ enum: CHANNEL_TYPES, enumName: 'NotificationChannelType', example: 'webhook' })
  @IsIn(CHANNEL_TYPES, { message: `type must be one of: ${CHANNEL_TYPES.join(', ')}` })
  type: ChannelType;

  @ApiProperty({ type: 'object', additionalProperties: true, description: CONFIG_DESCRIPTION, example: { url: 'https://hooks.example.com/dockpulse', secret: 'a-shared-secret' } })
  @IsObject({ message: 'config must be an object' })
  config: Record<string, unknown>;
}

export class UpdateChannelDto extends PartialType(CreateChannelDto) {}

export class ChannelView {
  @ApiProperty({ example: '3c8e2f61-7a4d-4b9e-8f10-5d2a6c9b1e47' }) id: string;
  @ApiProperty({ example: 'On-call webhook' }) name: string;
  @ApiProperty({ enum: CHANNEL_TYPES, enumName: 'NotificationChannelType' }) type: ChannelType;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The configuration with its secrets masked: `secret` and `token` as `••••••`, URLs as scheme, host and port followed by `/••••••`.',
    example: { url: 'https://hooks.example.com/••••••', secret: '••••••' },
  })
  config: Record<string, unknown>;
}

export class ChannelTestView {
  @ApiProperty({ example: true }) ok: boolean;
  @ApiPropertyOptional({ example: 200, description: 'The receiver’s HTTP status, when it answered over HTTP.' }) status?: number;
  @ApiProperty({ example: '0e7b3c1a-4f2d-4c55-9a8e-1b2c3d4e5f60', description: 'The X-DockPulse-Delivery id of the test message.' }) deliveryId: string;
}
